using Gatehouse.Contracts;
using Gatehouse.SessionBroker.Commands;

namespace Gatehouse.SessionBroker.Sftp;

/// <summary>
/// Decides which file transfer a session channel carries, so it is audited per file whichever way it was started: the
/// sftp subsystem, an sftp server run as a command (<c>sftp -s /usr/lib/openssh/sftp-server</c>) or legacy scp
/// (<c>scp -t</c>, <c>scp -f</c>).
/// </summary>
public static class TransferReaders
{
    /// <summary>The reader for the channel; null when it carries no file transfer.</summary>
    public static ITransferReader? For(SessionKind kind, string? command)
    {
        if (kind == SessionKind.Subsystem)
        {
            return new SftpRequestReader();
        }

        if (kind != SessionKind.Exec || command is null)
        {
            return null;
        }

        var commands = ShellCommandSplitter.Split(command);
        var transfers = commands.Where(c => RunsSftpServer(c.Words) || ScpStreamReader.IndexOfScp(c.Words) >= 0).ToList();
        if (transfers.Count == 0)
        {
            return null;
        }

        if (commands.Count > 1)
        {
            // Other output around the transfer (or a second one) would be read as part of it.
            return new UnfollowableTransfer("a file transfer started together with other commands cannot be followed; run it on its own");
        }

        return RunsSftpServer(transfers[0].Words) ? new SftpRequestReader() : ScpStreamReader.For(transfers[0].Words);
    }

    /// <summary>Any word naming an sftp server counts, so a wrapper (<c>exec</c>, <c>env</c>, <c>nice</c>) changes nothing.</summary>
    private static bool RunsSftpServer(IReadOnlyList<string> words) =>
        words.Any(w => Path.GetFileName(w) is var name && (name.EndsWith("sftp-server", StringComparison.Ordinal) || name == "internal-sftp"));
}
