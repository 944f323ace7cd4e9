namespace Gatehouse.Contracts;

/// <summary>
/// A file operation a user asked for in an sftp session (the subsystem, or an sftp server run as a command) or a legacy
/// scp transfer (<c>scp -O</c>), as it went to the target.
/// </summary>
/// <param name="Sequence">The operation's position within the session, from 1.</param>
/// <param name="NewPath">The second path of a rename, link or copy; null otherwise.</param>
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
