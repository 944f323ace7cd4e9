namespace Gatehouse.Contracts;

/// <summary>
/// Too many failures of one guessable factor for one user name from one network address within the window: that factor
/// is refused for that user from that address until <paramref name="BlockedUntil"/>. It slows whoever guesses there;
/// the user's other factors, and the same factor from other addresses, are untouched.
/// </summary>
/// <param name="Factor">The factor guessed: password or keyboard-interactive (the second factor).</param>
public sealed record LoginThrottled(
    string UserName,
    string Factor,
    string Address,
    int RecentFailures,
    DateTimeOffset BlockedUntil,
    string Actor,
    string? SourceAddress,
    string CorrelationId,
    Guid EventId,
    DateTimeOffset OccurredAt) : IAccessEvent;
