using Gatehouse.Contracts;

namespace Gatehouse.SessionBroker.Sessions;

/// <summary>
/// When a session ends at the latest, and why: its maximum length (the gateway's, or its grant's when shorter), or its
/// grant's expiry when that comes first. The user is told which, since only one of them is fixed by connecting again.
/// </summary>
public sealed record SessionDeadline(DateTimeOffset At, TimeSpan MaximumLength, bool GrantExpires)
{
    public static SessionDeadline For(DateTimeOffset startedAt, TimeSpan gatewayMaximum, TimeSpan? grantMaximum, DateTimeOffset? grantExpiresAt)
    {
        var length = grantMaximum is { } shorter && shorter < gatewayMaximum ? shorter : gatewayMaximum;
        return grantExpiresAt is { } expires && expires < startedAt + length
            ? new SessionDeadline(expires, length, GrantExpires: true)
            : new SessionDeadline(startedAt + length, length, GrantExpires: false);
    }

    /// <summary>The <see cref="Contracts.SessionEnded.EndReason"/> of a session ended by this deadline.</summary>
    public SessionEndReason EndReason => GrantExpires ? SessionEndReason.GrantExpired : SessionEndReason.MaxLength;

    /// <summary>The line the user is shown when the deadline ends the session.</summary>
    public string Message(string target) => GrantExpires
        ? $"gatehouse: your grant for {target} expired at {At:u}, so this session was closed; ask for a new grant to connect again"
        : $"gatehouse: this session reached its maximum length of {Describe(MaximumLength)} at {At:u} and was closed; connect again to go on";

    /// <summary>"12 h", "1 h 30 min", "2 s": how an operator writes a length, not "12:00:00".</summary>
    public static string Describe(TimeSpan length)
    {
        var parts = new[] { ((int)length.TotalHours, "h"), (length.Minutes, "min"), (length.Seconds, "s") }
            .Where(part => part.Item1 > 0)
            .Select(part => $"{part.Item1} {part.Item2}")
            .ToList();
        return parts.Count == 0 ? "0 s" : string.Join(' ', parts);
    }
}
