namespace Gatehouse.Contracts;

/// <summary>A command was sent to a target within a session.</summary>
/// <param name="Sequence">The command's position within the session, from 1.</param>
public sealed record CommandExecuted(
    Guid SessionId,
    int Sequence,
    string UserName,
    string Target,
    string Login,
    string CommandLine,
    CommandCapture Capture,
    string Actor,
    string? SourceAddress,
    string CorrelationId,
    Guid EventId,
    DateTimeOffset OccurredAt) : IAccessEvent;
