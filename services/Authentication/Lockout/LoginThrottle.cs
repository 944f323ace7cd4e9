using Marten.Schema;

namespace Gatehouse.Authentication.Lockout;

/// <summary>
/// The stored throttle of one user name (<c>user:alice</c>) or source address (<c>source:192.0.2.7</c>). Optimistic
/// concurrency makes simultaneous failures count one by one instead of overwriting each other.
/// </summary>
public sealed class LoginThrottle
{
    public required string Id { get; init; }

    public ThrottleState State { get; set; } = ThrottleState.Clear;

    [Version]
    public Guid Version { get; set; }

    public static string ForUser(string userName) => "user:" + userName;

    public static string ForSource(string address) => "source:" + address;
}
