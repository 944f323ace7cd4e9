namespace Gatehouse.SessionBroker.Sftp;

/// <summary>
/// Follows a file transfer protocol on a session channel, in both directions, and names the file operations in it.
/// Once it cannot follow the stream any more it says why (<see cref="Lost"/>) and the session must end: bytes it cannot
/// read must never reach the other side unaudited.
/// </summary>
public interface ITransferReader
{
    /// <summary>Why the stream cannot be followed any more; null while it can.</summary>
    string? Lost { get; }

    /// <summary>Reads the next bytes the user sent; returns the operations whose requests completed in them.</summary>
    IReadOnlyList<SftpRequest> FromClient(ReadOnlySpan<byte> data);

    /// <summary>Reads the next bytes the target sent; returns the operations whose messages completed in them.</summary>
    IReadOnlyList<SftpRequest> FromTarget(ReadOnlySpan<byte> data);
}
