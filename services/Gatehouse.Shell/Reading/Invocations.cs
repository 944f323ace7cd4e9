using System.Text;

namespace Gatehouse.Shell;

/// <summary>A command a program starts with words of its own (the program behind <c>sudo</c>, <c>xargs</c>, ...).</summary>
internal sealed record Run(IReadOnlyList<ShellWord> Words, string Context, Stdin? Stdin = null, bool TakesUnknownArguments = false);

/// <summary>A literal script a program runs (<c>sh -c</c>, <c>eval</c>, text piped into a shell).</summary>
internal sealed record Script(string Text, string Context, bool ReadsTerminal = true);

/// <summary>What running a program means for what else runs.</summary>
internal sealed record Effect(IReadOnlyList<Run> Runs, Script? Script = null, string? Unchecked = null, string? Unknowable = null)
{
    public static readonly Effect None = new([]);

    public static Effect Running(IReadOnlyList<ShellWord> words, string context, Stdin? stdin = null, bool takesUnknownArguments = false) =>
        new([new Run(words, context, stdin, takesUnknownArguments)]);

    public static Effect RunningUnchecked(string reason) => new([], Unchecked: reason);

    public static Effect CannotKnow(string reason) => new([], Unknowable: reason);
}

/// <summary>
/// The programs that run other programs or scripts: wrappers (<c>env</c>, <c>sudo</c>, <c>xargs</c>, <c>find -exec</c>,
/// ...) resolved to the program they start, shells and <c>eval</c> given a literal script, and the builtins that make
/// the shell run text later (aliases, traps, <c>source</c>). Any other program is just a program.
/// </summary>
internal static class Invocations
{
    private static readonly HashSet<string> Shells = ["sh", "bash", "dash", "zsh", "ksh", "mksh", "ash", "posh", "rbash", "lksh", "yash"];

    /// <summary>Builtins that evaluate names or arithmetic, where a quoted substitution in an array subscript runs.</summary>
    private static readonly HashSet<string> EvaluatingBuiltins =
        ["let", "declare", "typeset", "local", "export", "readonly", "unset", "printf", "read", "test", "[", "mapfile", "readarray", "wait", "getopts"];

    /// <summary>Variables whose value the shell itself runs or expands later (prompts, hooks, startup files).</summary>
    private static readonly HashSet<string> ExecutedVariables = ["PROMPT_COMMAND", "PS0", "PS1", "PS2", "PS3", "PS4", "BASH_ENV", "ENV"];

    /// <summary>Variables that change which program or code a command name runs.</summary>
    private static readonly HashSet<string> ProgramVariables =
    [
        "PATH", "LD_PRELOAD", "LD_LIBRARY_PATH", "LD_AUDIT", "BASH_LOADABLES_PATH", "EDITOR", "VISUAL", "PAGER", "MANPAGER",
        "GIT_PAGER", "GIT_EDITOR", "GIT_SSH_COMMAND", "GIT_EXTERNAL_DIFF", "LESSOPEN", "LESSCLOSE", "SSH_ASKPASS", "SUDO_ASKPASS",
        "SUDO_EDITOR", "BROWSER",
    ];

    // Without readline the terminal edits the line: arrows and Ctrl-A become characters of it, unlike what the gateway follows.
    private const string LineEditingOff = "turning bash's line editing off makes keys edit differently, so the gateway could no longer read the lines typed";

    /// <summary>Interpreters and REPLs: whatever code they are given (inline, a file, typed into them) is not shell.</summary>
    private static readonly HashSet<string> Interpreters =
        ["python", "python2", "python3", "perl", "ruby", "irb", "node", "nodejs", "php", "lua", "tclsh", "wish", "Rscript", "pwsh", "expect", "gdb"];

    /// <summary>Editors that run shell commands typed inside them (<c>:!cmd</c>, <c>M-!</c>, <c>!cmd</c>).</summary>
    private static readonly HashSet<string> Editors = ["vi", "vim", "nvim", "view", "vimdiff", "ex", "ed", "emacs"];

    /// <summary>Where the system's own programs live; a program by any other path may be a script the gateway cannot read.</summary>
    private static readonly string[] SystemDirectories = ["/bin/", "/sbin/", "/usr/bin/", "/usr/sbin/", "/usr/local/bin/", "/usr/local/sbin/"];

    public static Effect Of(string program, string name, List<ShellWord> args, Stdin stdin, bool takesUnknownArguments)
    {
        if (program.Contains('/') && !SystemDirectories.Any(d => program.StartsWith(d, StringComparison.Ordinal) && program.IndexOf('/', d.Length) < 0))
        {
            return Effect.RunningUnchecked($"{program} is a program or script the gateway cannot read");
        }

        if (Interpreters.Contains(name) || name.StartsWith("python3.", StringComparison.Ordinal))
        {
            return Effect.RunningUnchecked($"{name} runs code the gateway does not read");
        }

        if (Editors.Contains(name))
        {
            return Effect.RunningUnchecked($"{name} can run shell commands typed inside it");
        }

        if (name is "awk" or "gawk" or "mawk" or "nawk" && AwkRunsCommands(args))
        {
            return Effect.RunningUnchecked($"{name} runs commands from its program (system, a pipe or getline), which the gateway does not read");
        }

        if (Shells.Contains(name))
        {
            return Shell(name, args, stdin, takesUnknownArguments);
        }

        if (EvaluatingBuiltins.Contains(name) && Evaluated(name, args) is { } evaluated)
        {
            return evaluated;
        }

        return name switch
        {
            "env" => Env(args),
            "command" => Command(args),
            "builtin" => Running(args, Operands(args, 0), "run by builtin"),
            "exec" => Wrapper(args, "exec", new OptionSpec("a")),
            "nice" => Wrapper(args, "nice", new OptionSpec("n", ["--adjustment"], NumericShortIsOption: true)),
            "time" => Wrapper(args, "time", new OptionSpec("fo", ["--format", "--output"])),
            "timeout" => Timeout(args),
            "nohup" => Wrapper(args, "nohup", new OptionSpec("")),
            "setsid" => Wrapper(args, "setsid", new OptionSpec("")),
            "stdbuf" => Wrapper(args, "stdbuf", new OptionSpec("ioe", ["--input", "--output", "--error"])),
            "ionice" => Ionice(args),
            "taskset" => Taskset(args),
            "chroot" => Chroot(args, stdin),
            "flock" => Flock(args),
            "sudo" => Sudo(args, stdin),
            "sudoedit" => Effect.None,
            "doas" => Doas(args, stdin),
            "su" or "runuser" => Su(name, args, stdin),
            "chrt" => Chrt(args),
            "prlimit" => Wrapper(args, "prlimit", new OptionSpec("p", ["--pid", "--output"])),
            "strace" or "ltrace" => Wrapper(args, name, new OptionSpec("abeEIoOpPsSuUX", ["--output", "--signal", "--string-limit", "--user"])),
            "fakeroot" => Wrapper(args, "fakeroot", new OptionSpec("ils", ["--lib", "--faked", "--unknown-is-real"])),
            "unbuffer" => Wrapper(args, "unbuffer", new OptionSpec("")),
            "nsenter" => Wrapper(args, "nsenter", new OptionSpec("tSGw", ["--target", "--setuid", "--setgid", "--wd"])),
            "unshare" => Wrapper(args, "unshare", new OptionSpec("S", ["--setuid", "--setgid", "--propagation"])),
            "systemd-run" => Wrapper(args, "systemd-run", new OptionSpec("pMEu", ["--property", "--machine", "--setenv", "--unit", "--description", "--slice", "--uid", "--gid", "--on-calendar", "--on-active", "--working-directory"])),
            "sg" => args.Count >= 3 && args[1].Value == "-c"
                ? ScriptOption("sg -c", args[2].Value)
                : args.Count >= 2 ? ScriptOption("sg", args[1].Value) : ReadingInput("sg", stdin),
            "script" => ScriptCommand(args),
            "parallel" => Effect.RunningUnchecked("parallel builds commands from its input and arguments"),
            "at" or "batch" => args.Any(a => a.Value is "-f" || (a.Value is ['-', _, ..] v && v.Contains('f')))
                ? Effect.RunningUnchecked($"{name} runs the commands in a file the gateway cannot read")
                : args.Any(a => a.Value is "-l" or "-r" or "-d" or "-c") ? Effect.None : ReadingInput(name, stdin),
            "crontab" => Crontab(args),
            "tmux" or "screen" => Effect.RunningUnchecked($"{name} runs commands and types keys the gateway does not read"),
            "toybox" => args.Count == 0 || args[0].Value is null or ['-', ..] ? Effect.None : Effect.Running(args, "run by toybox"),
            "busybox" => args.Count == 0 || args[0].Value is null or ['-', ..] ? Effect.None : Effect.Running(args, "run by busybox"),
            "xargs" => Xargs(args),
            "find" => Find(args),
            "watch" => Watch(args),
            "eval" => Eval(args),
            "source" or "." => args.Count == 0
                ? Effect.None
                : Effect.RunningUnchecked($"{name} runs the script file {args[0]}, which the gateway cannot read"),
            "alias" => args.Any(a => !a.IsKnown || a.Value!.Contains('='))
                ? Effect.RunningUnchecked("defining an alias lets a later line run anything under that name")
                : Effect.None,
            "hash" => args.Any(a => a.Value is ['-', .. var flags] && flags.Contains('p'))
                ? Effect.RunningUnchecked("hash -p makes a command name run another program")
                : Effect.None,
            "enable" => args.Any(a => a.Value is ['-', .. var flags] && flags.Contains('f'))
                ? Effect.RunningUnchecked("enable -f loads a builtin from a file the gateway cannot read")
                : Effect.None,
            "trap" => Trap(args),
            "fc" => args.Any(a => a.Value is ['-', .. var flags] && flags.Contains('l'))
                ? Effect.None
                : Effect.CannotKnow("fc runs commands from the shell's history"),
            "complete" or "compgen" => args.Any(a => a.Value == "-C")
                ? Effect.RunningUnchecked($"{name} -C runs a command whenever completion is asked for")
                : Effect.None,
            "bind" => args.Any(a => a.Value is ['-', .. var flags] && flags.Contains('x'))
                ? Effect.RunningUnchecked("bind -x runs a command whenever a key is pressed")
                : args.All(a => a.Value is "-l" or "-p" or "-P" or "-v" or "-V" or "-s" or "-S" or "-X")
                    ? Effect.None
                    : Effect.CannotKnow("bind changes what keys type (a macro, another command), so the gateway could no longer read the lines typed"),
            "set" => args.Select(a => a.Value).Contains("vi") || args.Any(a => !a.IsKnown)
                ? Effect.CannotKnow("set -o vi changes what keys do, so the gateway could no longer read the lines typed")
                : args.Select(a => a.Value).Contains("emacs") && args.Any(a => a.Value!.StartsWith('+'))
                    ? Effect.CannotKnow(LineEditingOff)
                    : Effect.None,
            _ => Effect.None,
        };
    }

    /// <summary>An awk program can start commands only through system(), a pipe or getline; an unknown program might.</summary>
    private static bool AwkRunsCommands(List<ShellWord> args)
    {
        for (var i = 0; i < args.Count; i++)
        {
            switch (args[i].Value)
            {
                case "-f" or "--file" or ['-', 'f', ..] or "-E" or "--exec" or "-e" or "--source":
                    return true;
                case "-F" or "-v" or "-W" or "--assign" or "--field-separator":
                    i++;
                    continue;
                case ['-', _, ..]:
                    continue;
                case { } program:
                    return program.Contains("system") || program.Contains('|') || program.Contains("getline");
                default:
                    return true;
            }
        }

        return true;
    }

    private static Effect Shell(string name, List<ShellWord> args, Stdin stdin, bool takesUnknownArguments)
    {
        bool command = false, readsInput = false;
        var i = 0;
        for (; i < args.Count; i++)
        {
            var word = args[i];
            if (!word.IsKnown)
            {
                if (word.MayStartWithDash && !command)
                {
                    return Effect.CannotKnow($"how {name} is invoked depends on {word.Typed}, only known when it runs");
                }

                break;
            }

            var value = word.Value!;
            if (value is "--" or "-")
            {
                i++;
                break;
            }

            if (value == "--noediting" && !command)
            {
                return Effect.CannotKnow(LineEditingOff);
            }

            if (value == "--noediting")
            {
                return Effect.CannotKnow(LineEditingOff);
            }

            if (value.StartsWith("--"))
            {
                i += value is "--rcfile" or "--init-file" ? 1 : 0;
                continue;
            }

            if (value.Length < 2 || value[0] is not ('-' or '+'))
            {
                break;
            }

            foreach (var letter in value.AsSpan(1))
            {
                command |= letter == 'c' && value[0] == '-';
                readsInput |= letter == 's' && value[0] == '-';
                i += letter is 'o' or 'O' ? 1 : 0;
            }
        }

        var operands = args.Skip(i).ToList();
        if (command)
        {
            if (operands.Count == 0)
            {
                return Effect.None;
            }

            return operands[0].IsKnown
                ? new Effect([], new Script(operands[0].Value!, $"script given to {name} -c"))
                : Effect.CannotKnow($"the script given to {name} -c comes from {operands[0].UnknownBecause}, only known when it runs");
        }

        if ((operands.Count > 0 || takesUnknownArguments) && !readsInput)
        {
            var file = operands.Count > 0 ? operands[0].ToString() : "named by its input";
            return Effect.RunningUnchecked($"{name} runs the script file {file}, which the gateway cannot read");
        }

        return ReadingInput(name, stdin);
    }

    /// <summary>
    /// A shell reading commands from its input: fine from the terminal (each line passes the gateway) when it is bash,
    /// whose line editing the gateway follows; dash edits with the terminal's rules (Ctrl-A, arrows become characters of
    /// the line) and zsh or ksh with their own.
    /// </summary>
    private static Effect ReadingInput(string name, Stdin stdin)
    {
        if (stdin.Kind == StdinKind.Terminal)
        {
            // sudo -i, su - and the like start the login's own shell, which is the target's to choose (see limits).
            return !Shells.Contains(name) || name is "bash" or "rbash"
                ? Effect.None
                : Effect.CannotKnow($"{name} edits typed lines differently from bash, so the gateway could no longer read the lines typed: use bash");
        }

        return stdin.KnownText is { } text
            ? new Effect([], new Script(text, $"input given to {name}", ReadsTerminal: false))
            : Effect.RunningUnchecked($"{name} reads commands from its input, which the gateway cannot read");
    }

    private static Effect? Evaluated(string name, List<ShellWord> args)
    {
        if (args.Any(a => a.Value is { } v && (v.Contains("$(") || v.Contains('`'))))
        {
            return Effect.CannotKnow($"{name} may evaluate a quoted $( ) or backquote in an argument (as an array subscript) and run it");
        }

        // Any word naming such a variable: "NAME=value", "read NAME", "printf -v NAME", "declare -n ref=NAME".
        var risk = args.SelectMany(a => a.Value?.Split('=') ?? []).Select(part => AssignmentRisk(part.TrimEnd('+')))
            .FirstOrDefault(r => r is not null);
        return risk is null ? null : Effect.CannotKnow(risk);
    }

    /// <summary>Why assigning a variable makes what runs unknowable, or null when it does not.</summary>
    public static string? AssignmentRisk(string variable) =>
        ExecutedVariables.Contains(variable) ? $"assigning {variable} makes the shell run its value later"
        : ProgramVariables.Contains(variable) ? $"assigning {variable} changes which program or code a command runs"
        : null;

    private static Effect Env(List<ShellWord> args)
    {
        var seen = new List<(string Option, string? Value)>();
        var i = ParseOptions(args, 0, new OptionSpec("uCS", ["--unset", "--chdir", "--split-string"]), seen, out var unknown);
        if (unknown is not null)
        {
            return Effect.CannotKnow($"which program env runs depends on {unknown}, only known when it runs");
        }

        var split = new List<ShellWord>();
        foreach (var (option, value) in seen.Where(s => s.Option is "-S" or "--split-string"))
        {
            if (value is null || value.IndexOfAny(['\'', '"', '\\', '$']) >= 0)
            {
                return Effect.CannotKnow("env -S splits a string with quoting the gateway does not follow");
            }

            split.AddRange(value.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries).Select(ShellWord.Literal));
        }

        var rest = split.Concat(args.Skip(i)).ToList();
        var first = 0;
        while (first < rest.Count && rest[first].Value is { } v && v.IndexOf('=') > 0)
        {
            first++;
        }

        if (first < rest.Count && !rest[first].IsKnown)
        {
            return Effect.CannotKnow($"which program env runs depends on {rest[first].Typed}, only known when it runs");
        }

        return Effect.Running(rest.Skip(first).ToList(), "run by env");
    }

    private static Effect Command(List<ShellWord> args)
    {
        var seen = new List<(string Option, string? Value)>();
        var i = ParseOptions(args, 0, new OptionSpec(""), seen, out var unknown);
        if (seen.Any(s => s.Option is "-v" or "-V"))
        {
            return Effect.None;
        }

        return Running(args, i, "run by command", unknown);
    }

    private static Effect Wrapper(List<ShellWord> args, string name, OptionSpec spec)
    {
        var i = ParseOptions(args, 0, spec, [], out var unknown);
        return Running(args, i, $"run by {name}", unknown);
    }

    private static Effect Running(List<ShellWord> args, int first, string context, string? unknown = null) =>
        unknown is not null
            ? Effect.CannotKnow($"which program is {context} depends on {unknown}, only known when it runs")
            : Effect.Running(args.Skip(first).ToList(), context);

    private static int Operands(List<ShellWord> args, int from) => from < args.Count && args[from].Value == "--" ? from + 1 : from;

    private static Effect Timeout(List<ShellWord> args)
    {
        var i = ParseOptions(args, 0, new OptionSpec("sk", ["--signal", "--kill-after"]), [], out var unknown);
        return Running(args, i + 1, "run by timeout", unknown);
    }

    private static Effect Ionice(List<ShellWord> args)
    {
        var seen = new List<(string Option, string? Value)>();
        var i = ParseOptions(args, 0, new OptionSpec("cn", ["--class", "--classdata"]), seen, out var unknown);
        return seen.Any(s => s.Option is "-p" or "-P" or "-u" or "--pid" or "--pgid" or "--uid")
            ? Effect.None
            : Running(args, i, "run by ionice", unknown);
    }

    private static Effect Taskset(List<ShellWord> args)
    {
        var seen = new List<(string Option, string? Value)>();
        var i = ParseOptions(args, 0, new OptionSpec(""), seen, out var unknown);
        return seen.Any(s => s.Option is "-p" or "--pid") ? Effect.None : Running(args, i + 1, "run by taskset", unknown);
    }

    private static Effect Chroot(List<ShellWord> args, Stdin stdin)
    {
        var i = ParseOptions(args, 0, new OptionSpec("", ["--userspec", "--groups"]), [], out var unknown);
        // Without a command, chroot starts the user's shell.
        return i + 1 >= args.Count && unknown is null ? ReadingInput("chroot", stdin) : Running(args, i + 1, "run by chroot", unknown);
    }

    private static Effect Flock(List<ShellWord> args)
    {
        // flock [options] file|directory [options] (-c command | command args...)
        var seen = new List<(string Option, string? Value)>();
        var spec = new OptionSpec("wEc", ["--timeout", "--conflict-exit-code", "--command"]);
        var file = ParseOptions(args, 0, spec, seen, out var unknown);
        var i = ParseOptions(args, Math.Min(file + 1, args.Count), spec, seen, out var later);
        unknown ??= later;
        if (seen.FirstOrDefault(s => s.Option is "-c" or "--command") is { Option: not null } script)
        {
            return ScriptOption("flock -c", script.Value);
        }

        return Running(args, i, "run by flock", unknown);
    }

    /// <summary>crontab only lists (-l) or removes (-r) without reading a table the gateway cannot see.</summary>
    private static Effect Crontab(List<ShellWord> args)
    {
        var seen = new List<(string Option, string? Value)>();
        var operand = ParseOptions(args, 0, new OptionSpec("u"), seen, out var unknown);
        return operand >= args.Count && unknown is null && seen.Any(s => s.Option is "-l" or "-r") && !seen.Any(s => s.Option == "-e")
            ? Effect.None
            : Effect.RunningUnchecked("crontab installs commands that run later, which the gateway cannot read");
    }

    private static Effect Chrt(List<ShellWord> args)
    {
        var seen = new List<(string Option, string? Value)>();
        var i = ParseOptions(args, 0, new OptionSpec("TPD", ["--sched-runtime", "--sched-period", "--sched-deadline"]), seen, out var unknown);
        return seen.Any(s => s.Option is "-p" or "--pid") ? Effect.None : Running(args, i + 1, "run by chrt", unknown);
    }

    /// <summary>script [options] [file]: -c runs a command through the shell, otherwise it starts an interactive shell.</summary>
    private static Effect ScriptCommand(List<ShellWord> args)
    {
        var seen = new List<(string Option, string? Value)>();
        ParseOptions(args, 0, new OptionSpec("cEIOBTmt", ["--command", "--echo", "--log-in", "--log-out", "--log-io", "--log-timing", "--logging-format"]),
            seen, out _, stopAtOperand: false);
        return seen.FirstOrDefault(s => s.Option is "-c" or "--command") is { Option: not null } command
            ? ScriptOption("script -c", command.Value)
            : Effect.None;
    }

    private static Effect Sudo(List<ShellWord> args, Stdin stdin)
    {
        var seen = new List<(string Option, string? Value)>();
        var i = ParseOptions(args, 0, new OptionSpec("CDgpRrTtUu",
            ["--close-from", "--chdir", "--group", "--host", "--prompt", "--chroot", "--role", "--type", "--command-timeout", "--other-user", "--user"]),
            seen, out var unknown);
        if (seen.Any(s => s.Option is "-e" or "--edit" or "-l" or "--list" or "-V" or "--version"))
        {
            return Effect.None;
        }

        while (i < args.Count && args[i].Value is { } v && v.IndexOf('=') > 0)
        {
            i++;
        }

        if (i >= args.Count && unknown is null)
        {
            // sudo -i / sudo -s with no command starts a shell; sudo -v / -k alone runs nothing.
            return seen.Any(s => s.Option is "-i" or "-s" or "--login" or "--shell") ? ReadingInput("sudo", stdin) : Effect.None;
        }

        return Running(args, i, "run by sudo", unknown);
    }

    private static Effect Doas(List<ShellWord> args, Stdin stdin)
    {
        var seen = new List<(string Option, string? Value)>();
        var i = ParseOptions(args, 0, new OptionSpec("uC"), seen, out var unknown);
        if (seen.Any(s => s.Option == "-C"))
        {
            return Effect.None;
        }

        return i >= args.Count && unknown is null ? ReadingInput("doas", stdin) : Running(args, i, "run by doas", unknown);
    }

    private static Effect Su(string name, List<ShellWord> args, Stdin stdin)
    {
        if (name == "runuser" && args.Any(a => a.Value is "-u" or "--user"))
        {
            // runuser -u user [--] command: runs the command directly, without a shell.
            var i = ParseOptions(args, 0, new OptionSpec("ugG", ["--user", "--group", "--supp-group"]), [], out var unknown);
            return Running(args, i, "run by runuser", unknown);
        }

        var seen = new List<(string Option, string? Value)>();
        ParseOptions(args, 0, new OptionSpec("csgGw", ["--command", "--session-command", "--shell", "--group", "--supp-group", "--whitelist-environment"]),
            seen, out _, stopAtOperand: false);
        if (seen.FirstOrDefault(s => s.Option is "-c" or "--command" or "--session-command") is { Option: not null } script)
        {
            return ScriptOption($"{name} -c", script.Value);
        }

        return args.Any(a => !a.IsKnown)
            ? Effect.CannotKnow($"how {name} is invoked depends on a word only known when it runs")
            : ReadingInput(name, stdin);
    }

    private static Effect ScriptOption(string what, string? script) =>
        script is null
            ? Effect.CannotKnow($"the command given to {what} is only known when it runs")
            : new Effect([], new Script(script, $"command given to {what}"));

    private static Effect Xargs(List<ShellWord> args)
    {
        var seen = new List<(string Option, string? Value)>();
        var i = ParseOptions(args, 0, new OptionSpec("adEILnPs",
            ["--arg-file", "--delimiter", "--max-args", "--max-procs", "--max-chars", "--process-slot-var", "--max-lines"]), seen, out var unknown);
        if (unknown is not null)
        {
            return Effect.CannotKnow($"which program xargs runs depends on {unknown}, only known when it runs");
        }

        var replace = seen.LastOrDefault(s => s.Option is "-I" or "-i" or "--replace") is { Option: not null } r
            ? r.Value ?? (r.Option == "-I" ? null : "{}")
            : null;
        var words = args.Skip(i).ToList();
        if (words.Count == 0)
        {
            words = [ShellWord.Literal("echo")];
        }

        if (replace is not null)
        {
            // Each input item replaces the marker, so a word holding it is only known when it runs.
            words = words.Select(w => w.Value is { } v && v.Contains(replace) ? new ShellWord(v, null, true) { UnknownBecause = "xargs input" } : w).ToList();
        }

        return Effect.Running(words, "run by xargs", Stdin.Unknown, takesUnknownArguments: true);
    }

    private static Effect Find(List<ShellWord> args)
    {
        var runs = new List<Run>();
        for (var i = 0; i < args.Count; i++)
        {
            if (args[i].Value is not ("-exec" or "-execdir" or "-ok" or "-okdir"))
            {
                continue;
            }

            var action = args[i].Value;
            var words = new List<ShellWord>();
            for (i++; i < args.Count && args[i].Value is not (";" or "+"); i++)
            {
                // find puts each path where {} stands; a path never starts with '-' (find would read it as a test).
                words.Add(args[i].Value is { } v && v.Contains("{}") ? new ShellWord(v, null, false) { UnknownBecause = "a path find passes" } : args[i]);
            }

            runs.Add(new Run(words, $"run by find {action}", Stdin.Unknown));
        }

        return new Effect(runs);
    }

    private static Effect Watch(List<ShellWord> args)
    {
        var seen = new List<(string Option, string? Value)>();
        var i = ParseOptions(args, 0, new OptionSpec("nq", ["--interval"]), seen, out var unknown);
        if (seen.Any(s => s.Option is "-x" or "--exec"))
        {
            return Running(args, i, "run by watch", unknown);
        }

        var words = args.Skip(i).ToList();
        if (unknown is not null || words.Any(w => !w.IsKnown))
        {
            return Effect.CannotKnow("the command given to watch is only known when it runs");
        }

        // Without -x, watch hands its words joined by spaces to sh -c.
        return words.Count == 0 ? Effect.None : new Effect([], new Script(string.Join(' ', words.Select(w => w.Value)), "command given to watch"));
    }

    private static Effect Eval(List<ShellWord> args)
    {
        var words = args.Skip(Operands(args, 0)).ToList();
        if (words.Count == 0)
        {
            return Effect.None;
        }

        return words.All(w => w.IsKnown)
            ? new Effect([], new Script(string.Join(' ', words.Select(w => w.Value)), "eval"))
            : Effect.RunningUnchecked("eval runs text that is only known when it runs");
    }

    private static Effect Trap(List<ShellWord> args)
    {
        var i = Operands(args, 0);
        if (i >= args.Count || args[i].Value is ['-', _, ..])
        {
            return Effect.None;
        }

        var action = args[i];
        if (!action.IsKnown)
        {
            return Effect.RunningUnchecked("trap sets a handler that is only known when it runs");
        }

        return action.Value is "" or "-" || args.Count == i + 1
            ? Effect.None
            : new Effect([], new Script(action.Value!, "trap handler"));
    }

    /// <summary>Skips a program's options; the index of its first operand. An unknown word that could be an option stops it.</summary>
    private static int ParseOptions(List<ShellWord> args, int i, OptionSpec spec, List<(string Option, string? Value)> seen, out string? unknown,
        bool stopAtOperand = true)
    {
        unknown = null;
        while (i < args.Count)
        {
            var word = args[i];
            if (!word.IsKnown)
            {
                if (word.MayStartWithDash)
                {
                    unknown = word.Typed;
                }

                if (stopAtOperand)
                {
                    return i;
                }

                i++;
                continue;
            }

            var value = word.Value!;
            if (value == "--")
            {
                return i + 1;
            }

            if (value.Length < 2 || value[0] != '-')
            {
                if (stopAtOperand)
                {
                    return i;
                }

                i++;
                continue;
            }

            i++;
            if (value.StartsWith("--"))
            {
                var equals = value.IndexOf('=');
                if (equals < 0 && spec.LongWithArgument.Contains(value))
                {
                    seen.Add((value, i < args.Count ? args[i].Value : null));
                    i++;
                }
                else
                {
                    seen.Add((equals < 0 ? value : value[..equals], equals < 0 ? null : value[(equals + 1)..]));
                }

                continue;
            }

            if (spec.NumericShortIsOption && value.AsSpan(1).ContainsOnlyDigits())
            {
                seen.Add(("-n", value[1..]));
                continue;
            }

            for (var j = 1; j < value.Length; j++)
            {
                var option = "-" + value[j];
                if (!spec.ShortWithArgument.Contains(value[j]))
                {
                    seen.Add((option, null));
                    continue;
                }

                if (j + 1 < value.Length)
                {
                    seen.Add((option, value[(j + 1)..]));
                }
                else
                {
                    seen.Add((option, i < args.Count ? args[i].Value : null));
                    i++;
                }

                break;
            }
        }

        return i;
    }

    /// <summary>What a command writes to its output, when it is literal: <c>echo</c>, <c>printf</c>, <c>cat</c> of known input.</summary>
    public static string? LiteralOutput(string name, List<ShellWord> args, Stdin stdin)
    {
        if (args.Any(a => !a.IsKnown))
        {
            return null;
        }

        var values = args.Select(a => a.Value!).ToList();
        switch (name)
        {
            case "echo":
                bool newline = true, escapes = false;
                var first = 0;
                while (first < values.Count && values[first] is ['-', _, ..] flags && flags.Skip(1).All(c => c is 'n' or 'e' or 'E'))
                {
                    newline &= !flags.Contains('n');
                    escapes = flags.Contains('e') || (escapes && !flags.Contains('E'));
                    first++;
                }

                var text = string.Join(' ', values.Skip(first));
                return (escapes ? Unescape(text) : text) + (newline ? "\n" : "");
            case "printf":
                var operands = values.Skip(Operands(args, 0)).ToList();
                return operands.Count == 0 || operands[0].StartsWith('-') ? null : Printf(operands[0], operands.Skip(1).ToList());
            case "cat" when values.Count == 0 || values is ["-"]:
                return stdin.KnownText;
            default:
                return null;
        }
    }

    /// <summary>printf with only %s, %b and %% conversions (reused until the arguments run out); otherwise null.</summary>
    private static string? Printf(string format, List<string> arguments)
    {
        var output = new StringBuilder();
        var next = 0;
        do
        {
            for (var i = 0; i < format.Length; i++)
            {
                if (format[i] != '%')
                {
                    continue;
                }

                if (i + 1 >= format.Length || format[i + 1] is not ('s' or 'b' or '%'))
                {
                    return null;
                }

                i++;
            }

            var segment = new StringBuilder();
            for (var i = 0; i < format.Length; i++)
            {
                if (format[i] == '%')
                {
                    var conversion = format[++i];
                    segment.Append(conversion == '%' ? "%" : next < arguments.Count ? (conversion == 'b' ? Unescape(arguments[next++]) : arguments[next++]) : "");
                }
                else
                {
                    segment.Append(format[i]);
                }
            }

            output.Append(Unescape(segment.ToString()));
        }
        while (next < arguments.Count && format.Contains("%s") | format.Contains("%b"));

        return output.ToString();
    }

    /// <summary>The backslash escapes echo -e and printf decode.</summary>
    private static string Unescape(string text)
    {
        var output = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] != '\\' || i + 1 >= text.Length)
            {
                output.Append(text[i]);
                continue;
            }

            var e = text[++i];
            switch (e)
            {
                case 'n': output.Append('\n'); break;
                case 't': output.Append('\t'); break;
                case 'r': output.Append('\r'); break;
                case 'a': output.Append('\a'); break;
                case 'b': output.Append('\b'); break;
                case 'e': output.Append('\u001b'); break;
                case 'f': output.Append('\f'); break;
                case 'v': output.Append('\v'); break;
                case '\\': output.Append('\\'); break;
                case 'c': return output.ToString();
                case 'x':
                    var hex = new string(text.Skip(i + 1).TakeWhile(char.IsAsciiHexDigit).Take(2).ToArray());
                    output.Append(hex.Length == 0 ? "\\x" : ((char)Convert.ToInt32(hex, 16)).ToString());
                    i += hex.Length;
                    break;
                case >= '0' and <= '7':
                    var octal = new string(text.Skip(i).TakeWhile(c => c is >= '0' and <= '7').Take(e == '0' ? 4 : 3).ToArray());
                    output.Append((char)(Convert.ToInt32(octal, 8) & 0xff));
                    i += octal.Length - 1;
                    break;
                default:
                    output.Append('\\').Append(e);
                    break;
            }
        }

        return output.ToString();
    }
}

/// <summary>A program's option syntax: the short letters and long names that take an argument.</summary>
internal sealed record OptionSpec(string ShortWithArgument, string[]? LongWithArgumentNames = null, bool NumericShortIsOption = false)
{
    public IReadOnlyCollection<string> LongWithArgument { get; } = LongWithArgumentNames ?? [];
}

internal static class DigitSpanExtensions
{
    public static bool ContainsOnlyDigits(this ReadOnlySpan<char> span)
    {
        foreach (var c in span)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return !span.IsEmpty;
    }
}
