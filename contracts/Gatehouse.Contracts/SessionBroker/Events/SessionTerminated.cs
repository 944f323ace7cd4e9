namespace Gatehouse.Contracts;

/// <summary>A live session was ended on request (<see cref="Sessions.TerminateSession"/>); SessionEnded follows.</summary>
/// <param name="TerminatedBy">Who asked for it; also the <see cref="Actor"/>.</param>
public sealed record SessionTerminated(
    Guid SessionId,
    string UserName,
    string Target,
    string Login,
    string TerminatedBy,
    string Reason,
    string Actor,
    string? SourceAddress,
    string CorrelationId,
    Guid EventId,
    DateTimeOffset OccurredAt) : IAccessEvent;
