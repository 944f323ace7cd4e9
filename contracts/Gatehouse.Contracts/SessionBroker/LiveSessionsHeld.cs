namespace Gatehouse.Contracts.Sessions;

/// <summary>One gateway instance's answer to <see cref="FindLiveSessions"/>: the sessions and forwards it holds.</summary>
/// <param name="Instance">Names the instance for as long as it runs (host and a start id), so an operator can tell which one did not answer.</param>
public sealed record LiveSessionsHeld(
    Guid AskId,
    string Instance,
    IReadOnlyList<LiveSession> Sessions,
    IReadOnlyList<LiveForward> Forwards);
