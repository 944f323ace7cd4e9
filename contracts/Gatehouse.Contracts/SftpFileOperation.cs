namespace Gatehouse.Contracts;

/// <summary>A file operation a user asked for in an sftp (or scp over sftp) session, as it went to the target.</summary>
/// <param name="Sequence">The operation's position within the session, from 1.</param>
/// <param name="NewPath">The destination of a rename; null otherwise.</param>
public sealed record SftpFileOperation(
    Guid SessionId,
    int Sequence,
    string UserName,
    string Target,
    string Login,
    SftpOperation Operation,
    string Path,
    string? NewPath,
    string Actor,
    string? SourceAddress,
    string CorrelationId,
    Guid EventId,
    DateTimeOffset OccurredAt) : IAccessEvent;
