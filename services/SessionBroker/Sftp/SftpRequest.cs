using Gatehouse.Contracts;

namespace Gatehouse.SessionBroker.Sftp;

/// <summary>A file operation seen in the client's sftp requests.</summary>
public sealed record SftpRequest(SftpOperation Operation, string Path, string? NewPath = null);
