namespace Gatehouse.Contracts;

/// <summary>A command was sent to a target within a session.</summary>
/// <param name="Sequence">The command's position within the session, from 1.</param>
/// <param name="Commands">The simple commands the line starts, as the gateway read them (null for a line typed without echo, and
/// in events written before they were recorded).</param>
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
    DateTimeOffset OccurredAt,
    IReadOnlyList<ShellCommand>? Commands = null) : IAccessEvent;
