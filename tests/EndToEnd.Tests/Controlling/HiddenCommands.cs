namespace Gatehouse.EndToEnd.Tests.Controlling;

/// <summary>The ways a hostile line reaches a shell through the gateway.</summary>
[Flags]
public enum Through
{
    /// <summary><c>ssh gatehouse 'line'</c>.</summary>
    Exec = 1,

    /// <summary>Typed into an interactive shell on a terminal (<c>ssh -tt</c>, or <c>ssh -tt … 'bash -i'</c>).</summary>
    Terminal = 2,

    /// <summary>Fed to a shell without a terminal (<c>ssh -T target &lt; script</c>).</summary>
    NoTerminal = 4,

    Everywhere = Exec | Terminal | NoTerminal,
}

/// <summary>
/// One attempt to run <c>rm -rf</c> on a canary file past a deny policy on <c>rm -rf *</c>: its class (issue #16), and
/// the input with <c>{victim}</c> for the canary and <c>{script}</c> for an executable script on the target that would
/// remove it. A row for every path is a command line (lines of a multi-line one split by <c>\n</c>); a row for one
/// path only is the exact keys typed (<see cref="Through.Terminal"/>, with <c>\r</c> for Enter) or bytes fed
/// (<see cref="Through.NoTerminal"/>). <see cref="Refused"/> is false for a row where the user abandons the line
/// themselves (Ctrl-C): nothing is refused, and nothing may run either.
/// </summary>
public sealed record HiddenCommand(string Class, string Input, Through Through, bool Refused = true)
{
    public string For(string victim, string script) => Input.Replace("{victim}", victim).Replace("{script}", script);

    /// <summary>What is typed on a terminal to try it: a command line ends with Enter.</summary>
    public string Keys(string victim, string script) =>
        Through == Through.Terminal ? For(victim, script) : For(victim, script).Replace('\n', '\r') + "\r";

    /// <summary>What a shell without a terminal reads to try it.</summary>
    public string Lines(string victim, string script) =>
        Through == Through.NoTerminal ? For(victim, script) : For(victim, script) + "\n";

    public override string ToString() => $"{Class}: {Input}";
}

/// <summary>The table: every class of issue #16, several variants each.</summary>
public static class HiddenCommands
{
    private const Through All = Through.Everywhere;

    public static readonly IReadOnlyList<HiddenCommand> Table =
    [
        new("wrapper", "env rm -rf {victim}", All),
        new("wrapper", "env -i FOO=1 rm -fr {victim}", All),
        new("wrapper", "command rm -rf {victim}", All),
        new("wrapper", "command -p rm -rf {victim}", All),
        new("wrapper", "exec rm -rf {victim}", All),
        new("wrapper", "exec -a x rm -rf {victim}", All),
        new("wrapper", "nice rm -rf {victim}", All),
        new("wrapper", "nice -n 5 rm -rf {victim}", All),
        new("wrapper", "time rm -rf {victim}", All),
        new("wrapper", "time -p rm -rf {victim}", All),
        new("wrapper", "timeout 5 rm -rf {victim}", All),
        new("wrapper", "timeout -s KILL 5 rm -rf {victim}", All),
        new("wrapper", "nohup rm -rf {victim} >/dev/null", All),
        new("wrapper", "sudo -n rm -rf {victim}", All),
        new("wrapper", "builtin eval 'rm -rf {victim}'", All),
        new("assignment or redirection first", "FOO=1 rm -rf {victim}", All),
        new("assignment or redirection first", ">/dev/null rm -rf {victim}", All),
        new("assignment or redirection first", "2>&1 A=1 rm -rf {victim}", All),
        new("negation", "! rm -rf {victim}", All),
        new("path", "/bin/rm -rf {victim}", All),
        new("path", "/usr/bin/rm -rf {victim}", All),
        new("path", "/usr//bin/../bin/rm -rf {victim}", All),
        new("option spelling", "rm -fr {victim}", All),
        new("option spelling", "rm -r -f {victim}", All),
        new("option spelling", "rm --recursive --force {victim}", All),
        new("option spelling", "rm -R --forc -- {victim}", All),
        new("compound", "if true; then rm -rf {victim}; fi", All),
        new("compound", "while rm -rf {victim}; do break; done", All),
        new("compound", "until rm -rf {victim}; do break; done", All),
        new("compound", "for i in 1; do rm -rf {victim}; done", All),
        new("compound", "case x in x) rm -rf {victim};; esac", All),
        new("compound", "{ rm -rf {victim}; }", All),
        new("compound", "( rm -rf {victim} )", All),
        new("compound", "f() { rm -rf {victim}; }; f", All),
        new("compound", "true && rm -rf {victim}", All),
        new("compound", "false || rm -rf {victim}", All),
        new("compound", "echo a | rm -rf {victim}", All),
        new("compound", "rm -rf {victim} &", All),
        new("compound", "if true; then\nrm -rf {victim}\nfi", All),
        new("coproc", "coproc rm -rf {victim}", All),
        new("coproc", "coproc X { rm -rf {victim}; }", All),
        new("quoting", "$'rm' -rf {victim}", All),
        new("quoting", "$'\\x72\\155' -rf {victim}", All),
        new("quoting", "$\"rm\" -rf {victim}", All),
        new("quoting", "r''m -rf {victim}", All),
        new("quoting", "\"r\"m -\"rf\" {victim}", All),
        new("quoting", "\\rm -rf {victim}", All),
        new("brace expansion", "{rm,-rf,{victim}}", All),
        new("brace expansion", "rm -{r,f} {victim}", All),
        new("substitution", "cat <(rm -rf {victim})", All),
        new("substitution", "echo >(rm -rf {victim})", All),
        new("substitution", "echo $(rm -rf {victim})", All),
        new("substitution", "echo `rm -rf {victim}`", All),
        new("substitution", "echo \"$(echo ')'; rm -rf {victim})\"", All),
        new("substitution", "echo $(case x in x) rm -rf {victim};; esac)", All),
        new("substitution", "echo ${x:-$(rm -rf {victim})}", All),
        new("substitution", "[[ -n $(rm -rf {victim}) ]]", All),
        new("here-string or document", "bash <<< 'rm -rf {victim}'", All),
        new("here-string or document", "sh <<EOF\nrm -rf {victim}\nEOF", All),
        new("here-string or document", "cat <<EOF\n$(rm -rf {victim})\nEOF", All),
        new("literal script", "sh -c -- 'rm -rf {victim}'", All),
        new("literal script", "bash -c -e 'rm -rf {victim}'", All),
        new("literal script", "bash -ec 'true; rm -rf {victim}'", All),
        new("literal script", "eval -- 'rm -rf {victim}'", All),
        new("literal script", "eval 'rm' '-rf' '{victim}'", All),
        new("literal script", "su -c 'rm -rf {victim}'", All),
        new("literal script", "trap 'rm -rf {victim}' EXIT", All),
        new("literal script", "find {victim} -maxdepth 0 -exec rm -rf {} \\;", All),
        new("piped into a shell", "echo 'rm -rf {victim}' | sh", All),
        new("piped into a shell", "printf 'rm -rf {victim}\\n' | bash", All),
        new("xargs", "echo {victim} | xargs rm -rf", All),
        new("xargs", "echo {victim} | xargs rm", All),
        new("xargs", "echo -rf {victim} | xargs rm", All),
        new("documented limit: variable as program", "X=rm; $X -rf {victim}", All),
        new("documented limit: variable as program", "${X:-rm} -rf {victim}", All),
        new("documented limit: substitution as program", "$(printf rm) -rf {victim}", All),
        new("documented limit: substitution as program", "`echo rm` -rf {victim}", All),
        new("documented limit: glob in program", "/bin/r? -rf {victim}", All),
        new("documented limit: glob in program", "[r]m -rf {victim}", All),
        new("documented limit: script", "bash {script}", All),
        new("documented limit: script", "sh < {script}", All),
        new("documented limit: script", "source {script}", All),
        new("documented limit: script", ". {script}", All),
        new("documented limit: script", "{script}", All),
        new("documented limit: script", "cat {script} | bash", All),
        new("documented limit: interpreter", "python3 -c 'import os; os.remove(\"{victim}\")'", All),
        new("documented limit: interpreter", "perl -e 'unlink \"{victim}\"'", All),
        new("documented limit: unknown argument", "rm -rf $(echo {victim})", All),
        new("alias", "alias zap='rm -rf {victim}'; zap", All),
        new("history expansion", "echo rm -rf {victim}; !!:1*", All),

        // Line editing: keys the gateway does not follow never reach the target, and its line is cancelled.
        new("continuation", "r\\\rm -rf {victim}\r", Through.Terminal),
        new("continuation", "rm -rf \\\r{victim}\r", Through.Terminal),
        new("yank", "rm -rf {victim}\x15\x19\r", Through.Terminal),
        new("yank", "rm -rf {victim}\x17\x17\x17\x19\x19\x19\r", Through.Terminal),
        new("transpose", "mr -rf {victim}\x01\x06\x14\r", Through.Terminal),
        new("meta key", "RM -rf {victim}\x01\x1bl\r", Through.Terminal),
        new("meta key", "zz rm -rf {victim}\x01\u001bd\r", Through.Terminal),
        new("meta key", "rm -rf {victim}\x1b\x7f\r", Through.Terminal),
        new("delete-char", "rmx -rf {victim}\x01\x06\x06\x04\r", Through.Terminal),
        new("undo", "rm -rf {victim}\x15\x1f\r", Through.Terminal),
        new("operate-and-get-next", "rm -rf {victim}\x0f", Through.Terminal),
        new("quoted insert", "rm -rf {victim}\x16\r\r", Through.Terminal),
        new("quoted insert", "rm\x16\t-rf {victim}\r", Through.Terminal),
        new("vi mode", "set -o vi\r", Through.Terminal),
        new("vi mode", "bind 'set editing-mode vi'\r", Through.Terminal),
        new("line editing off", "set +o emacs\rrm -rf {victim} \u0001x\r", Through.Terminal),
        new("line editing off", "bash --noediting\rrm -rf {victim} \u0001x\r", Through.Terminal),
        new("another shell's line editing", "sh\rrm -rf {victim} \u0001x\r", Through.Terminal),
        new("another shell's line editing", "dash -i\rrm -rf {victim} \u0001x\r", Through.Terminal),
        new("history", "history -s \"rm -rf {victim}\"\r\x1b[A\r", Through.Terminal),
        new("history", "history -s \"rm -rf {victim}\"\r\x10\r", Through.Terminal),
        new("history", "history -s \"rm -rf {victim}\"\rfc -s\r", Through.Terminal),
        new("history", "history -s \"rm -rf {victim}\"\r!!\r", Through.Terminal),
        new("history", "history -s \"echo -rf {victim}\"\rrm !!:1*\r", Through.Terminal),
        new("history", "history -s \"rn -rf {victim}\"\r^rn^rm\r", Through.Terminal),
        new("history", "history -s \"rm -rf {victim}\"\r\x12rm -rf\r", Through.Terminal),
        new("key binding", "bind '\"\\C-xq\": \"rm -rf {victim}\\n\"'\r\x18q\r", Through.Terminal),
        new("key binding", "bind '\"z\": \"rm -rf {victim}\"'\rz\r", Through.Terminal),
        new("completion", "rm -rf {victim}\t\r", Through.Terminal),
        new("typed without echo", "stty -echo\r$(printf rm) -rf {victim}\rstty echo\r", Through.Terminal),
        new("typed without echo", "stty -echo\rpython3 -c 'import os; os.remove(\"{victim}\")'\rstty echo\r", Through.Terminal),
        new("type-ahead", "sleep 0.3\rhistory -s \"rn -rf {victim}\"\r^rn^rm\r\r", Through.Terminal),
        // Keys bash read ahead before an interrupt survive it: padding, so that any cut leaves a line that runs rm.
        new("interrupt race", "a" + new string(' ', 200) + "; rm -rf {victim}\t\r", Through.Terminal),
        new("interrupt race", "a" + new string(' ', 200) + "; rm -rf {victim}\x03\r", Through.Terminal, Refused: false),
        new("interrupt race", "true" + new string(' ', 200) + "&& rm -rf {victim}\r\r", Through.Terminal),
        new("paste", "\x1b[201~rm -rf {victim}\r", Through.Terminal),
        new("paste", "\x1b[200~echo ok\rrm -rf {victim}\r\x1b[201~\r", Through.Terminal),
        new("paste", "\x1b[200~rm -rf {victim}\x15\x1b[201~\r", Through.Terminal),
        new("paste", "\x1b[200~echo \x1b[200~rm -rf {victim}\x1b[201~\r", Through.Terminal),
        new("paste", "\x1b[200~rm -rf {victim}\r\x03", Through.Terminal),
        new("long line", ": " + new string('a', 64 * 1024) + " ; rm -rf {victim}\r", Through.Terminal),

        // Without a terminal, control bytes are plain bytes in a word, and nothing is a paste.
        new("control bytes", "rm -rf {victim}; : \x15\n", Through.NoTerminal),
        new("control bytes", "rn\x7fm -rf {victim}\n", Through.NoTerminal),
        new("control bytes", "echo x\x03; rm -rf {victim}\n", Through.NoTerminal),
        new("control bytes", "rm -rf {victim}\r\n", Through.NoTerminal),
        new("paste marker", "\x1b[200~rm -rf {victim}\n", Through.NoTerminal),
        new("paste marker", "\x1b[200~echo x\nrm -rf {victim}\n", Through.NoTerminal),
        new("continuation", "r\\\nm -rf {victim}\n", Through.NoTerminal),
        new("continuation", "echo 'x\nrm -rf {victim}\n'; rm -rf {victim}\n", Through.NoTerminal),
        new("long line", ": " + new string('a', 64 * 1024) + " ; rm -rf {victim}\n", Through.NoTerminal),
    ];

    public static IEnumerable<HiddenCommand> Via(Through through) => Table.Where(r => r.Through.HasFlag(through));
}
