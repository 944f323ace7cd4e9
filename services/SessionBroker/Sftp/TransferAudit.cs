using Gatehouse.Contracts;
using Gatehouse.SessionBroker.Sessions;

namespace Gatehouse.SessionBroker.Sftp;

/// <summary>
/// Follows a file transfer (sftp, scp) in both directions and has its file operations recorded before the bytes that
/// carry them pass on; ends the session when the transfer can no longer be followed.
/// </summary>
public sealed class TransferAudit(ITransferReader reader, Func<IReadOnlyList<SftpRequest>, Task<bool>> record, SessionEnding ending,
    ILogger logger)
{
    /// <summary>Why the transfer cannot be followed at all, before anything passed; null when it can.</summary>
    public string? Unfollowable => reader.Lost;

    /// <summary>Reads bytes from the user; true when they may pass on.</summary>
    public Task<bool> FromClientAsync(ReadOnlySpan<byte> data) => PassAsync(reader.FromClient(data));

    /// <summary>Reads bytes from the target; true when they may pass on.</summary>
    public Task<bool> FromTargetAsync(ReadOnlySpan<byte> data) => PassAsync(reader.FromTarget(data));

    private async Task<bool> PassAsync(IReadOnlyList<SftpRequest> requests)
    {
        if (requests.Count > 0 && !await record(requests))
        {
            return false;
        }

        if (reader.Lost is { } lost)
        {
            logger.LogWarning("A session was closed: its file transfer cannot be followed: {Reason}", lost);
            ending.End(SessionEndReason.TransferUnreadable, $"gatehouse: the file transfer could not be followed ({lost}), so the session was closed");
            return false;
        }

        return true;
    }
}
