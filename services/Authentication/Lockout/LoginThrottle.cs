using Marten.Schema;

namespace Gatehouse.Authentication.Lockout;

/// <summary>The factors a stranger could guess, each throttled on its own: a public key cannot be guessed and is never throttled.</summary>
public enum GuessableFactor
{
    Password,
    SecondFactor,
}

/// <summary>
/// The stored throttle of one guessable factor for one scope: a source address (<c>password:source:192.0.2.7</c>), a
/// user name at a source address (<c>password:user-at-source:alice@192.0.2.7</c>), or a user name from anywhere
/// (<c>password:account:alice</c>). Optimistic concurrency makes simultaneous failures count one by one instead of
/// overwriting each other.
/// </summary>
public sealed class LoginThrottle
{
    /// <summary>Where a request came without an address: such requests share one throttle, so they are never unthrottled.</summary>
    public const string UnknownSource = "unknown";

    public required string Id { get; init; }

    public ThrottleState State { get; set; } = ThrottleState.Clear;

    [Version]
    public Guid Version { get; set; }

    public static string ForSource(GuessableFactor factor, string? address) => $"{Prefix(factor)}:source:{address ?? UnknownSource}";

    public static string ForUserAtSource(GuessableFactor factor, string userName, string? address) =>
        UserAtSourcePrefix(factor, userName) + (address ?? UnknownSource);

    public static string ForAccount(GuessableFactor factor, string userName) => $"{Prefix(factor)}:account:{userName}";

    /// <summary>What every per-address throttle of this user name starts with (user names cannot hold '@').</summary>
    public static string UserAtSourcePrefix(GuessableFactor factor, string userName) => $"{Prefix(factor)}:user-at-source:{userName}@";

    /// <summary>The factor as events and operators name it: the SSH method that carries it.</summary>
    public static string FactorName(GuessableFactor factor) => factor == GuessableFactor.Password ? "password" : "keyboard-interactive";

    private static string Prefix(GuessableFactor factor) => factor == GuessableFactor.Password ? "password" : "mfa";
}
