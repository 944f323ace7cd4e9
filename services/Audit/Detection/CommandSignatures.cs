using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Gatehouse.Shell;

namespace Gatehouse.Audit.Detection;

/// <summary>
/// One command of a line as the command rules see it, from the gateway's shell reader: a program (its file name after
/// any path, and after the wrappers that start it: <c>sudo</c>, <c>env</c>, <c>nice</c>, <c>busybox</c>, ... are read
/// through), its words after quote removal, and what it assigns and redirects; or a bare command, which only assigns
/// or redirects (<c>HISTSIZE=0</c>, <c>&gt; ~/.bash_history</c>).
/// </summary>
public sealed class ReadCommand
{
    private readonly SimpleCommand? _command;
    private CommandArguments? _arguments;

    private ReadCommand(SimpleCommand command)
    {
        _command = command;
        Program = command.Name;
        Context = command.Context;
        Words = command.Arguments;
        Assignments = command.Assignments;
        Redirections = command.Redirections;
    }

    private ReadCommand(BareCommand bare)
    {
        Program = "";
        Context = bare.Context;
        Words = [];
        Assignments = bare.Assignments;
        Redirections = bare.Redirections;
    }

    /// <summary>The program's file name; "" for a bare command.</summary>
    public string Program { get; }

    /// <summary>Where the reader found it: "" at the top of the line, "run by sudo", "script given to bash -c", ...</summary>
    public string Context { get; }

    public IReadOnlyList<ShellWord> Words { get; }

    public IReadOnlyList<ShellWord> Assignments { get; }

    public IReadOnlyList<ShellRedirection> Redirections { get; }

    /// <summary>Options, their arguments and operands as the program reads them (read on first use).</summary>
    public CommandArguments Arguments => _arguments ??= _command is null
        ? throw new InvalidOperationException("a bare command has no arguments")
        : CommandArguments.Of(_command);

    /// <summary>How the alert shows it: <c>name arg arg</c>, or the assignments and redirections of a bare command.</summary>
    public string Shown => _command?.Normalized
        ?? string.Join(' ', Assignments.Select(a => a.ToString()).Concat(Redirections.Select(r => $"{r.Operator} {r.Target}")));

    public static IReadOnlyList<ReadCommand> Of(ShellReading reading) =>
        [.. reading.Commands.Select(c => new ReadCommand(c)), .. reading.BareCommands.Select(b => new ReadCommand(b))];
}

/// <summary>One kind of command a rule looks for, by program and arguments; <see cref="Name"/> says which on the alert.</summary>
public sealed record CommandSignature(string Name, Func<ReadCommand, bool> Matches);

/// <summary>
/// The commands the escalation, destructive and anti-forensic rules look for, described by program and arguments, so
/// every spelling the shell accepts is the same command: <c>sudo --login</c> is <c>sudo -i</c>, <c>rm -fR</c> is
/// <c>rm --recursive --force</c>, <c>chmod 4755</c> sets set-user-ID as <c>u+s</c> does, <c>s''udo</c> is sudo.
/// A word only known on the target (<c>$X</c>, a glob) is judged by what was typed.
/// </summary>
public static partial class CommandSignatures
{
    private static readonly HashSet<string> Shells = ["sh", "bash", "dash", "zsh", "ksh", "mksh", "ash", "csh", "tcsh", "fish", "rbash", "busybox"];

    // The directories whose recursive deletion breaks or wipes the system (a glob under them counts: rm -rf /etc/*).
    private static readonly HashSet<string> SystemDirectories =
    [
        "/", "/bin", "/boot", "/etc", "/home", "/lib", "/lib32", "/lib64", "/opt", "/root", "/sbin", "/srv", "/usr", "/usr/bin", "/usr/lib",
        "/usr/sbin", "/usr/local", "/var", "/var/lib",
    ];

    private static readonly string[] AccountFiles = ["/etc/sudoers", "/etc/sudoers.d", "/etc/passwd", "/etc/shadow", "/etc/group", "/etc/gshadow"];

    private static readonly HashSet<string> AdminGroups = ["sudo", "wheel", "admin", "root", "docker", "lxd"];

    private static readonly HashSet<string> Editors = ["vi", "vim", "nvim", "nano", "pico", "emacs", "ed", "ex", "joe", "mcedit", "sudoedit", "tee"];

    private static readonly HashSet<string> Erasers = ["rm", "unlink", "shred", "srm", "wipe", "truncate"];

    private static readonly HashSet<string> HistoryFiles =
        [".bash_history", ".zsh_history", ".zhistory", ".sh_history", ".ash_history", ".history", ".mysql_history", ".psql_history"];

    // The audit daemon and the loggers that keep the record on the target.
    private static readonly HashSet<string> AuditDaemons = ["auditd", "rsyslog", "rsyslogd", "syslog", "syslog-ng", "systemd-journald", "journald"];

    private static readonly HashSet<string> Stopping = ["stop", "disable", "mask", "kill"];

    public static readonly IReadOnlyList<CommandSignature> Escalation =
    [
        // sudo -i, -s, --login, --shell (in any order with -u user) without a command: a root shell.
        new("sudo-shell", c => c.Program == "sudo" && (c.Arguments.Has("-i") || c.Arguments.Has("-s"))
            && c.Arguments.Operands.All(o => Text(o).Contains('='))),
        new("doas-shell", c => c.Program == "doas" && (c.Arguments.Has("-s") || c.Arguments.Operands.Count == 0)),
        // sudo bash, sudo -u root /bin/sh, doas sh: a shell run as another user (a script given with -c is read and judged itself).
        new("shell-as-root", c => Shells.Contains(c.Program) && (c.Context.Contains("run by sudo") || c.Context.Contains("run by doas"))
            && !c.Words.Any(w => w.Value is ['-', not '-', ..] option && option.Contains('c'))),
        // su, su -, su -l root, sudo su -: becoming root (su alice is not).
        new("su-root", c => c.Program == "su" && c.Arguments.Operands.All(o => o.Value is "-" or "root")),
        new("pkexec", c => c.Program == "pkexec" && !c.Arguments.Has("--version") && !c.Arguments.Has("--help")),
        new("setuid-mode", c => c.Program == "chmod" && c.Arguments.SetsUserOrGroupId),
        new("file-capabilities", c => c.Program == "setcap" && !c.Arguments.Has("-r") && c.Arguments.Operands.Any(o => Text(o).Contains('+') || Text(o).Contains('='))),
        new("account-files-edited", c => c.Program is "visudo" or "vipw" or "vigr" || WritesTo(c, AccountFiles)),
        new("admin-group-joined", JoinsAdminGroup),
    ];

    public static readonly IReadOnlyList<CommandSignature> Destructive =
    [
        new("system-deleted", c => c.Program == "rm" && c.Arguments.Has("-r") && (c.Arguments.Has("--no-preserve-root") || c.Arguments.Operands.Any(IsSystemDirectory))),
        new("system-deleted-by-find", c => c.Program == "find" && FindPaths(c).Any(IsSystemDirectory) && FindDeletes(c)),
        new("disk-overwritten", c => (c.Program == "dd" && c.Words.Any(w => Text(w).StartsWith("of=", StringComparison.Ordinal) && IsDisk(Text(w)[3..])))
            || (c.Program is "shred" or "cp" or "tee" or "pv" && c.Arguments.Operands.Skip(c.Program == "cp" ? 1 : 0).Any(o => IsDisk(Text(o))))
            || c.Redirections.Any(r => IsWrite(r) && IsDisk(Text(r.Target)))),
        new("filesystem-made", c => (c.Program.StartsWith("mkfs", StringComparison.Ordinal) || c.Program is "mke2fs" or "mkdosfs" or "mkntfs")
            && !c.Arguments.Has("--help") && !c.Arguments.Has("-V") && c.Arguments.Operands.Count > 0),
        new("disk-wiped", c => (c.Program == "wipefs" && (c.Arguments.Has("-a") || c.Arguments.Has("--all") || c.Arguments.Has("-o")))
            || c.Program == "blkdiscard" || (c.Program == "sgdisk" && (c.Arguments.Has("-Z") || c.Arguments.Has("--zap-all")))),
    ];

    public static readonly IReadOnlyList<CommandSignature> AntiForensic =
    [
        new("history-off", c => (c.Program == "unset" && c.Words.Any(w => w.Value == "HISTFILE"))
            || c.Assignments.Concat(c.Program is "export" or "declare" or "typeset" or "local" or "readonly" ? c.Words : []).Any(TurnsHistoryOff)
            || (c.Program == "set" && c.Words.Select(Text).Zip(c.Words.Select(Text).Skip(1)).Any(p => p is ("+o", "history")))),
        new("history-cleared", c => c.Program == "history"
            && (c.Arguments.Has("-c") || c.Arguments.Has("-d") || (c.Arguments.Has("-w") && c.Arguments.Operands.Any(o => o.Value == "/dev/null")))),
        new("history-file-destroyed", c => (Erasers.Contains(c.Program) && c.Words.Any(IsHistoryFile))
            || c.Redirections.Any(r => IsTruncation(r) && IsHistoryFile(r.Target))
            || (c.Program is "ln" or "cp" && c.Words.Any(w => w.Value == "/dev/null") && c.Words.Any(IsHistoryFile))
            || (c.Program == "mv" && c.Words.Any(IsHistoryFile))),
        new("audit-stopped", StopsAudit),
        new("selinux-off", c => c.Program == "setenforce" && c.Words.Any(w => w.Value is "0" || string.Equals(w.Value, "permissive", StringComparison.OrdinalIgnoreCase))),
        new("journal-vacuumed", c => c.Program == "journalctl"
            && (c.Arguments.Has("--vacuum-size") || c.Arguments.Has("--vacuum-time") || c.Arguments.Has("--vacuum-files") || c.Arguments.Has("--rotate"))),
        new("logs-deleted", c => (Erasers.Contains(c.Program) && c.Arguments.Operands.Any(o => IsUnder(o, "/var/log")))
            || c.Redirections.Any(r => IsTruncation(r) && IsUnder(r.Target, "/var/log"))
            || (c.Program == "find" && FindPaths(c).Any(p => IsUnder(p, "/var/log")) && FindDeletes(c))
            || (c.Program is "ln" or "cp" && c.Words.Any(w => w.Value == "/dev/null") && c.Arguments.Operands.Any(o => IsUnder(o, "/var/log")))),
    ];

    private static readonly ConditionalWeakTable<string, IReadOnlyList<ReadCommand>> Readings = [];

    /// <summary>The commands of a line as the shell reader reads them, read once for all the rules that judge one event.</summary>
    public static IReadOnlyList<ReadCommand> Read(string line) => Readings.GetValue(line, l => ReadCommand.Of(ShellReader.Read(l)));

    /// <summary>The first signature a command of the line matches, with that command; null when none does.</summary>
    public static (CommandSignature Signature, ReadCommand Command)? FirstMatch(IReadOnlyList<CommandSignature> signatures, IReadOnlyList<ReadCommand> commands)
    {
        foreach (var command in commands)
        {
            foreach (var signature in signatures)
            {
                if (signature.Matches(command))
                {
                    return (signature, command);
                }
            }
        }

        return null;
    }

    private static string Text(ShellWord word) => word.Value ?? word.Typed;

    private static string FileName(string path) => path.TrimEnd('/') is var trimmed && trimmed.LastIndexOf('/') is var slash and >= 0 ? trimmed[(slash + 1)..] : path;

    /// <summary>
    /// The directory a word names for a path test: the resolved path, or for a glob what comes before it
    /// (<c>/etc/*</c> is /etc, <c>/*</c> is /); the home directory for <c>~</c> and <c>$HOME</c>.
    /// </summary>
    private static string? PathOf(ShellWord word)
    {
        var text = Text(word);
        if (word.Value is null)
        {
            var glob = text.IndexOfAny(['*', '?', '[']);
            if (glob >= 0)
            {
                text = text[..glob];
            }
        }

        if (text is "~" or "~/" or "$HOME" or "${HOME}" or "$HOME/" or "${HOME}/")
        {
            return "~";
        }

        return text.StartsWith('/') ? CommandArguments.NormalizedPath(text) : null;
    }

    private static bool IsSystemDirectory(ShellWord word) => PathOf(word) is { } path && (path == "~" || SystemDirectories.Contains(path));

    private static bool IsUnder(ShellWord word, string directory) =>
        PathOf(word) is { } path && (path == directory || path.StartsWith(directory + "/", StringComparison.Ordinal));

    private static bool IsHistoryFile(ShellWord word) => HistoryFiles.Contains(FileName(Text(word)));

    [GeneratedRegex(@"^/dev/(sd[a-z]|hd[a-z]|vd[a-z]|xvd[a-z]|nvme\d|mmcblk\d|md\d|dm-\d|mapper/|disk/|root$|loop\d)")]
    private static partial Regex Disk();

    private static bool IsDisk(string path) => Disk().IsMatch(path);

    /// <summary>A redirection that writes a file: <c>&gt;</c>, <c>&gt;&gt;</c>, <c>&gt;|</c>, <c>2&gt;</c>, <c>&amp;&gt;</c> (not <c>&gt;&amp;</c>, which duplicates a descriptor).</summary>
    private static bool IsWrite(ShellRedirection redirection) => WriteOperator().IsMatch(redirection.Operator);

    /// <summary>A redirection that empties its file first (<c>&gt; file</c>, not <c>&gt;&gt; file</c>).</summary>
    private static bool IsTruncation(ShellRedirection redirection) => IsWrite(redirection) && !redirection.Operator.Contains(">>");

    [GeneratedRegex(@"^(\d*|&)>>?\|?$")]
    private static partial Regex WriteOperator();

    private static bool WritesTo(ReadCommand c, string[] files)
    {
        bool Named(ShellWord word) => files.Any(f => IsUnder(word, f));
        return c.Redirections.Any(r => IsWrite(r) && Named(r.Target))
            || (c.Program.Length > 0 && Editors.Contains(c.Program) && c.Arguments.Operands.Any(Named))
            || (c.Program is "sed" or "perl" && (c.Arguments.Has("-i") || c.Words.Any(w => w.Value?.StartsWith("--in-place", StringComparison.Ordinal) == true))
                && c.Arguments.Operands.Any(Named))
            || (c.Program is "cp" or "mv" or "install" or "ln" or "rsync" && c.Arguments.Operands.Count > 1 && Named(c.Arguments.Operands[^1]))
            || (c.Program == "dd" && c.Words.Any(w => Text(w).StartsWith("of=", StringComparison.Ordinal) && Named(ShellWord.Literal(Text(w)[3..]))));
    }

    private static bool JoinsAdminGroup(ReadCommand c)
    {
        bool Admin(string? groups) => groups?.Split(',').Any(AdminGroups.Contains) == true;
        return c.Program switch
        {
            "usermod" or "useradd" => Admin(c.Arguments.ValueOf("-G")) || c.Arguments.ValueOf("-u") == "0" || c.Arguments.Has("-o"),
            "gpasswd" => (c.Arguments.Has("-a") || c.Arguments.Has("-M")) && c.Arguments.Operands.Any(o => AdminGroups.Contains(Text(o))),
            "adduser" or "addgroup" => c.Arguments.Operands.Count == 2 && AdminGroups.Contains(Text(c.Arguments.Operands[1])),
            _ => false,
        };
    }

    private static bool TurnsHistoryOff(ShellWord word)
    {
        var text = Text(word);
        var equals = text.IndexOf('=');
        if (equals <= 0)
        {
            return false;
        }

        var (name, value) = (text[..equals].TrimEnd('+'), text[(equals + 1)..].Trim('"', '\''));
        return name switch
        {
            "HISTFILE" => value is "" or "/dev/null",
            "HISTSIZE" or "HISTFILESIZE" or "SAVEHIST" => value == "0",
            "HISTIGNORE" => value == "*",
            _ => false,
        };
    }

    private static string Unit(string word) => FileName(word.EndsWith(".service", StringComparison.Ordinal) ? word[..^".service".Length] : word);

    private static bool StopsAudit(ReadCommand c)
    {
        var words = c.Words.Select(Text).ToList();
        return c.Program switch
        {
            "systemctl" => words.Any(Stopping.Contains) && words.Any(w => AuditDaemons.Contains(Unit(w))),
            "service" => words.Contains("stop") && words.Any(w => AuditDaemons.Contains(Unit(w))),
            "pkill" or "killall" => c.Arguments.Operands.Any(o => AuditDaemons.Contains(Unit(Text(o)))),
            // kill $(pidof auditd), kill -9 `pgrep auditd`: the process is only known on the target, its name is typed.
            "kill" => words.Any(w => AuditDaemons.Any(d => w.Contains(d, StringComparison.Ordinal))),
            "auditctl" => c.Arguments.ValueOf("-e") == "0" || c.Arguments.Has("-D"),
            _ => AuditDaemons.Contains(c.Program) && words.Contains("stop"),
        };
    }

    /// <summary>The paths find starts from: its operands before the first expression word.</summary>
    private static IEnumerable<ShellWord> FindPaths(ReadCommand c) =>
        c.Words.SkipWhile(w => Text(w) is "-H" or "-L" or "-P").TakeWhile(w => Text(w) is not ['-', ..] and not "(" and not "!" and not "\\(");

    private static bool FindDeletes(ReadCommand c) =>
        c.Words.Any(w => w.Value == "-delete")
        || c.Words.Zip(c.Words.Skip(1)).Any(p => p.First.Value is "-exec" or "-execdir" or "-ok" or "-okdir" && FileName(Text(p.Second)) is "rm" or "shred" or "unlink");
}
