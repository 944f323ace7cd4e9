using Gatehouse.Contracts;
using Gatehouse.Shell;

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

        var reading = ShellReader.Read(command);
        var transfers = reading.Commands.Select(Words).Where(w => RunsSftpServer(w[0]) || ScpStreamReader.IndexOfScp(w) == 0).ToList();
        if (transfers.Count == 0)
        {
            return null;
        }

        // Only a transfer that is the whole command (perhaps behind wrappers such as exec or env) can be followed:
        // other output around it, a second one, or one inside a script would be read as part of it.
        var alone = reading.IsKnown && transfers.Count == 1
            && reading.Commands.Count(c => c.Context.Length == 0) == 1
            && reading.Commands.All(c => c.Context.Length == 0 || c.Context.StartsWith("run by ", StringComparison.Ordinal));
        if (!alone)
        {
            return new UnfollowableTransfer("a file transfer started together with other commands cannot be followed; run it on its own");
        }

        return RunsSftpServer(transfers[0][0]) ? new SftpRequestReader() : ScpStreamReader.For(transfers[0]);
    }

    private static IReadOnlyList<string> Words(SimpleCommand command) =>
        [command.Program.ToString(), .. command.Arguments.Select(a => a.ToString())];

    /// <summary>Matched on the program the shell (or a wrapper such as exec, env or nice) starts, by its file name.</summary>
    private static bool RunsSftpServer(string program) =>
        Path.GetFileName(program) is var name && (name.EndsWith("sftp-server", StringComparison.Ordinal) || name == "internal-sftp");
}
