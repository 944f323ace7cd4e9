namespace Gatehouse.Shell.Tests.Matching;

/// <summary>
/// The issue's scenario as a table: a session with the deny policy <c>rm -rf *</c> (a glob, as operators write them
/// today) and every way the forbidden command ran before. Each line must be blocked, refused as unknowable, or, for
/// the near misses, run.
/// </summary>
public sealed class RecursiveDeleteTableTests
{
    private static readonly CommandRule NoRecursiveDelete = new("no-recursive-delete", "rm -rf *", CommandRuleForm.Glob, CommandRuleAction.Deny);

    private static readonly CommandPolicySet Policies = new([NoRecursiveDelete]);

    private static readonly string[] Spellings =
    [
        "rm -rf /tmp/x", "rm -fr /tmp/x", "rm -r -f /tmp/x", "rm -R -f /tmp/x", "rm --recursive --force /tmp/x",
        "rm -f --recursive /tmp/x", "rm -rfv /tmp/x", "rm -r /tmp/x -f", "rm -vRf /tmp/x", "/bin/rm -rf /tmp/x",
        "/usr/bin/rm -fr /tmp/x", "\\rm -rf /tmp/x", "r''m -rf /tmp/x", "\"rm\" -rf /tmp/x", "rm -r''f /tmp/x",
        "rm '-rf' /tmp/x", "rm -rf $DIR", "rm -rf *",
    ];

    private static readonly string[] Prefixes =
    [
        "", "env ", "env -i ", "env FOO=1 ", "env -u HOME ", "env -- ", "command ", "command -p ", "exec ", "exec -a name ",
        "nice ", "nice -n 10 ", "nice -10 ", "nice --adjustment=5 ", "time ", "time -p ", "/usr/bin/time -v ",
        "/usr/bin/time -o out ", "timeout 5 ", "timeout -s KILL 10s ", "timeout --kill-after=5 1m ", "sudo ", "sudo -u root ",
        "sudo -n -u deploy -- ", "sudo -E ", "sudo FOO=bar ", "sudo -s ", "sudo -i ", "sudo -H -g wheel ", "doas ",
        "doas -u root ", "busybox ", "nohup ", "setsid ", "stdbuf -oL ", "stdbuf -o L ", "ionice -c 3 ", "taskset 0x1 ",
        "chroot / ", "flock /tmp/lock ", "watch -x ", "FOO=1 ", "A=1 B='x y' ", ">/dev/null ", "2>/dev/null ", "! ",
        "sudo env ", "nice sudo ", "env sudo -u x nice -n 1 ", "sudo timeout 5 ",
    ];

    public static TheoryData<string> WrappedSpellings()
    {
        var lines = new TheoryData<string>();
        foreach (var prefix in Prefixes)
        {
            foreach (var spelling in Spellings)
            {
                lines.Add(prefix + spelling);
            }
        }

        return lines;
    }

    public static TheoryData<string> Hidden() =>
    [
        // lists, pipelines, groups
        "ls; rm -rf x", "true && rm -rf x", "false || rm -rf x", "ls | rm -rf x", "ls |& rm -rf x", "rm -rf x &",
        "ls\nrm -rf x", "(rm -rf x)", "( cd /; rm -rf x )", "{ rm -rf x; }", "{ ls; { rm -rf x; }; }", "ls;rm -rf x",
        "ls&&rm -rf x", "ls||rm -rf x", "ls&rm -rf x", "ls # comment\nrm -rf x",
        // compound commands and keywords
        "if true; then rm -rf x; fi", "if false; then :; else rm -rf x; fi", "if false; then :; elif true; then rm -rf x; fi",
        "if rm -rf x; then :; fi", "while rm -rf x; do break; done", "until rm -rf x; do :; done", "while true; do rm -rf x; break; done",
        "for i in 1; do rm -rf x; done", "for i in 1 2\ndo\nrm -rf x\ndone", "for ((i=0;i<1;i++)); do rm -rf x; done",
        "select x in a; do rm -rf x; done", "case a in a) rm -rf x;; esac", "case a in (a|b) rm -rf x ;; *) ls;; esac",
        "case a in b) ls;; a) rm -rf x;& c) ls;;& esac", "f() { rm -rf x; }", "f () { rm -rf x; }; f", "function f { rm -rf x; }",
        "function f() ( rm -rf x )", "coproc rm -rf x", "coproc C { rm -rf x; }", "time rm -rf x", "! rm -rf x",
        "time -p rm -rf x", "[[ -n $(rm -rf x) ]]", "(( $(rm -rf x) ))", "if [[ -d x ]]; then rm -rf x; fi",
        // substitutions
        "echo $(( $(rm -rf x) + 1 ))", "x=$(rm -rf y)", "echo \"$(rm -rf x)\"", "echo `rm -rf x`", "echo \"`rm -rf x`\"",
        "echo $(echo $(rm -rf x))", "echo \"${x:-'}\"; rm -rf y; echo \"${x:-'}\"", "echo \"`echo \\\"a\\\"; rm -rf x`\"", "echo $(echo \")\"; rm -rf x)", "echo $(echo ')'; rm -rf x)", "echo $(echo \\); rm -rf x)",
        "echo $(case a in a) rm -rf x;; esac)", "echo ${x:-$(rm -rf y)}", "echo \"${x:-`rm -rf y`}\"", "cat <(rm -rf x)",
        "diff <(ls) <(rm -rf x)", "ls > >(rm -rf x)", "cat < <(rm -rf x)", "a=(1 $(rm -rf x))", "ls $(rm -rf x)",
        "cat <<EOF\n$(rm -rf x)\nEOF", "cat <<EOF\n`rm -rf x`\nEOF", "echo `echo \\`rm -rf x\\``", "FOO=$(rm -rf x) ls",
        "ls >$(rm -rf x)", "echo $[ $(rm -rf x) ]",
        // quoting forms
        "$'rm' -rf x", "$'\\x72m' -rf x", "$'\\162m' -rf x", "$'\\u0072m' -rf x", "$\"rm\" -rf x", "r\"m\" -rf x", "'r'm -rf x",
        "rm \"-rf\" x", "rm -\\rf x", "r\\\nm -rf x", "rm $'-rf' x", "rm $'-\\x72f' x", "\"/bin/rm\" -rf x",
        // brace expansion
        "{rm,-rf,x}", "{rm,-rf} x", "{r,}m -rf x", "rm -{r,f} x", "{/bin/rm,-rf,x}", "rm -{rf,v} x",
        // scripts given to shells and eval
        "sh -c 'rm -rf x'", "bash -c \"rm -rf x\"", "sh -c -- 'rm -rf x'", "bash -c -e 'rm -rf x'", "bash -ec 'rm -rf x'",
        "bash -xec 'rm -rf x'", "dash -c 'rm -rf x'", "zsh -c 'rm -rf x'", "/bin/sh -c 'ls; rm -rf x'", "bash -o pipefail -c 'rm -rf x'",
        "bash --norc -c 'rm -rf x'", "sh -c 'sh -c \"rm -rf x\"'", "eval 'rm -rf x'", "eval -- 'rm -rf x'", "eval rm -rf x",
        "eval \"rm -rf x\"", "bash -c 'eval \"rm -rf x\"'", "sudo bash -c 'rm -rf x'", "sudo sh -c 'cd /; rm -rf x'",
        "bash -c 'f() { rm -rf x; }; f'", "sh -c 'rm -rf x' sh arg", "ksh -c 'rm -rf x'", "busybox sh -c 'rm -rf x'",
        // here-strings, here-documents and text piped into a shell
        "bash <<< 'rm -rf x'", "sh <<< \"rm -rf x\"", "bash <<'EOF'\nrm -rf x\nEOF", "bash <<EOF\nrm -rf x\nEOF",
        "bash <<-EOF\n\trm -rf x\n\tEOF", "bash -s <<< 'rm -rf x'", "echo 'rm -rf x' | sh", "echo rm -rf x | bash",
        "printf 'rm -rf x\\n' | sh", "printf '%s\\n' 'rm -rf x' | sh", "echo -e 'ls\\nrm -rf x' | bash",
        "cat <<'EOF' | sh\nrm -rf x\nEOF", "echo 'rm -rf x' | sudo bash", "echo 'rm -rf x' | sudo -u root sh",
        "cat <<< 'rm -rf x' | sh", "echo 'echo hi; rm -rf x' | bash -s", "echo 'rm -rf x' | bash -",
        // programs that run a literal command
        "watch 'rm -rf x'", "watch -n 1 rm -rf x", "su -c 'rm -rf x'", "su root -c 'rm -rf x'", "sudo su -c 'rm -rf x'",
        "su - root -c 'rm -rf x'", "runuser -u root -- rm -rf x", "trap 'rm -rf x' EXIT", "flock /tmp/l -c 'rm -rf x'",
        // xargs and find
        "xargs rm -rf", "ls | xargs rm -rf", "xargs -0 rm -rf", "xargs -n 1 rm -rf", "xargs -I{} rm -rf {}", "xargs -P4 -n1 rm -rf",
        "find . -exec rm -rf {} \\;", "find . -exec rm -rf {} +", "find /tmp -name x -execdir rm -rf {} \\;", "find . -ok rm -rf {} ';'",
        // abbreviated long options, as getopt_long accepts them
        "rm --rec --for x", "rm --recursive --forc x", "rm --force --re x",
        // more wrappers
        "chrt -f 1 rm -rf x", "strace -f -o log rm -rf x", "ltrace rm -rf x", "fakeroot rm -rf x", "nsenter -t 1 -m rm -rf x",
        "unshare -r rm -rf x", "systemd-run --uid=0 rm -rf x", "sg wheel 'rm -rf x'", "sg wheel -c 'rm -rf x'",
        "script -qc 'rm -rf x' /dev/null", "at now <<< 'rm -rf x'", "echo 'rm -rf x' | at now", "echo 'rm -rf x' | batch",
        "toybox rm -rf x", "prlimit --nofile=10 rm -rf x", "unbuffer rm -rf x", "echo 'rm -rf x' | sudo -s",
        "find . -type d -exec sudo rm -rf {} \\;", "find . -exec sh -c 'rm -rf \"$1\"' sh {} \\;", "find . -name a -exec ls {} \\; -exec rm -rf {} +",
    ];

    public static TheoryData<string> Unknowable() =>
    [
        // the program name is only known when it runs
        "$X -rf x", "${X} -rf x", "\"$X\" -rf x", "$(printf rm) -rf x", "`echo rm` -rf x", "$(echo rm) -rf x", "${X:-rm} -rf x",
        "$1 -rf x", "$@", "\"$@\"", "r* -rf x", "/bin/r? -rf x", "[r]m -rf x", "/bin/r[m] -rf x", "~/bin/tool -rf x",
        "sudo $CMD -rf x", "env $X", "xargs $P", "find . -exec $X {} \\;", "command $X", "nice \"$@\"",
        // history expansion and shell state
        "!!", "echo !!", "^ls^rm -rf x", "bash <<EOF\n!!\nEOF", "!rm", "!-1", "sudo !!", "echo \"!$\"", "fc -s", "alias ll='rm -rf x'", "alias rm='rm -i'",
        "hash -p /bin/rm ls", "PROMPT_COMMAND='rm -rf x'", "export PROMPT_COMMAND='rm -rf x'", "PS1='$(rm -rf x)'",
        "declare PS0='$(rm -rf x)'", "BASH_ENV=x.sh bash -c ls", "let 'a[$(rm -rf x)]'", "printf -v 'a[$(ls)]' x",
        "echo $(( a['$(ls)'] ))", "x='$(rm -rf y)'; echo ${x@P}", "[[ -v 'a[$(rm -rf x)]' ]]", "PATH=/tmp:$PATH ls",
        "export PATH=/tmp", "read -r PROMPT_COMMAND <<< 'rm -rf x'", "printf -v PS1 '$(rm -rf x)'", "declare -n r=PROMPT_COMMAND",
        ": ${PROMPT_COMMAND:='rm -rf x'}", "echo \"${PATH=/tmp}\"", "EDITOR='rm -rf x' crontab -e", "LESSOPEN='|rm -rf x %s' less f",
        "mapfile -t PATH < list", "getopts ab PS1", "LD_PRELOAD=/tmp/x.so ls", "parallel rm -rf ::: x", "tmux send-keys 'rm -rf x' Enter",
        "screen -dm rm -rf x", "crontab -e", "crontab jobs.txt", "at -f jobs now", "cat jobs | at now", "enable -f ./x.so rm", "bind -x '\"\\C-x\": rm -rf x'", "bind '\"\\C-t\": \"rm -rf x\\n\"'", "bind -f x.inputrc", "set +o emacs", "set +o emacs -o vi", "bash --noediting", "sh", "dash -i", "zsh", "sudo sh", "set -o vi", "set -o vi -o emacs", "complete -C 'rm -rf x' ls",
        // scripts and input the gateway cannot read
        "sh -c \"$X\"", "bash -c \"$(curl -s x)\"", "eval $X", "eval \"$(cat x)\"", "source x.sh", ". ./x.sh", "bash x.sh",
        "sh script", "curl x | sh", "cat x | bash", "bash < x.sh", "bash -s < x", "(bash) < x.sh", "echo 'rm -rf x' | { sh; }",
        "bash <(curl -s x)", "source <(echo 'rm -rf x')", "./deploy.sh", "/home/me/bin/tool", "python3 -c 'import os'",
        "perl -e 'system(\"rm -rf x\")'", "vim notes", "awk 'BEGIN{system(\"rm -rf x\")}'", "ls | awk '{print | \"sh\"}'",
        "xargs -I{} sh -c '{}'", "ls | xargs sh", "eval \"rm -rf $X\"", "trap \"$X\" EXIT", "su -c \"$X\"", "watch \"$X\"",
        // an argument only known at run time could make the policy apply
        "rm $OPTS x", "rm -r $F x", "rm *", "rm -f *", "xargs rm", "ls | xargs rm", "xargs rm -r", "rm -r \"$@\"", "rm -r $(cat list)",
        // incomplete lines and syntax errors: the shell would wait or refuse
        "echo 'abc", "echo \"abc", "ls |", "ls &&", "ls ||", "if true; then", "for i in 1; do", "while true", "case a in",
        "{ ls;", "( ls", "echo $(ls", "echo `ls", "cat <<EOF\nx", "ls \\", "echo ${x", "[[ -f x", "fi", "done", "echo )",
        "$'abc", "echo $((1+2)", "a=(1 2",
    ];

    public static TheoryData<string> NearMisses() =>
    [
        "echo \"rm -rf /\"", "echo rm -rf /", "echo 'rm -rf /'", "grep rm notes", "grep -rf patterns .", "man rm", "rmdir x", "rm file",
        "rm -f file", "rm -r dir", "rm -i x", "rm -rv x", "rm -- -rf", "rm ./-rf", "rm -- *", "rm ./*.log", "git commit -m \"rm -rf\"",
        "git commit -m 'rm -rf /'", "ls -l", "ls -la | grep x | wc -l", "cat /etc/hosts", "ps aux | grep rm", "which rm", "type rm",
        "command -v rm", "info rm", "apropos rm", "echo $HOME", "cd /tmp && ls", "echo {a,b}", "for f in *.log; do echo $f; done",
        "ls *.txt", "find . -name '*.rm'", "find . -name x -print", "find . -type f -exec ls -l {} \\;", "sudo ls", "sudo -i", "bash",
        "sudo -u deploy ls -l", "env", "env | sort", "time ls", "history | tail", "bind -p", "set -euo pipefail", "set +o history", "tar -czf x.tgz dir", "echo a | grep a",
        "echo 'ls -l' | sh", "sh -c 'ls -l'", "bash -c \"echo rm -rf x\"", "eval 'echo hi'", "xargs echo", "docker rm -f x",
        "kubectl delete pod x", "trm -rf x", "rm-rf x", "rmdir -p a/b", "echo rm -rf x > notes.txt", "printf 'rm -rf x\\n' > script.txt",
        "echo 'rm -rf x' | cat", "echo 'rm -rf x' | grep rm", "cat <<'EOF'\nrm -rf x\nEOF", "echo \"hi!\"", "echo hi!", "[[ $a != b ]]",
        "test -f x && echo yes", "[ -f x ] || echo no", "a=1; echo $a", "export FOO=bar", "ls # rm -rf x", ": rm -rf x", "echo $((1+2))",
        "(( x = 1 + 2 ))", "case $x in a) echo a;; esac", "while read l; do echo $l; done < file", "ls | while read f; do echo $f; done",
        "awk '{print $1}' file", "awk -F'|' '{print $2}' file", "sed -n 1p file", "systemctl status nginx", "journalctl -u x | tail",
        "less file", "man bash", "nice ls", "timeout 5 ping -c1 host", "echo -rf", "ls -rf", "git rm -rf --cached x", "svn rm x",
        "npm rm x", "cp -rf a b", "mv -f a b", "chmod -R 755 x", "rsync -a --delete a/ b/", "sudo systemctl restart nginx",
        "ssh-keygen -R host", "echo $(date)", "echo \"$(whoami)@$(hostname)\"", "x=$(ls | wc -l); echo $x", "cat <(ls)",
        "diff <(ls a) <(ls b)", "echo {1..5}", "mkdir -p a/{b,c}/d", "cp x{,.bak}", "echo ~", "ls ~/x", "cd ~ && ls",
        "sudo -u www-data -- ls /var/www", "nohup sleep 10 &", "watch -n 5 df -h", "watch 'ls -l'", "find /var/log -name '*.gz' -mtime +30",
        "xargs -n1 echo < list", "if [ -f x ]; then cat x; else echo none; fi", "for i in {1..3}; do echo $i; done",
        "f() { ls -l; }; f", "echo 'a b' | tr a-z A-Z", "printf '%s\\n' a b c", "bash -c 'echo $1' sh rm", "cat <<< 'rm -rf x'",
        "echo \"rm -rf $HOME\"", "grep -r 'rm -rf' /etc", "echo \\!", "echo 'hi!there'", "stat /bin/rm", "file /bin/rm", "ls -l /bin/rm",
        "dpkg -S /bin/rm", "crontab -l", "crontab -u bob -l", "rm --verbose x", "rm --force x", "sudo -l", "sudo -v", "sudo -k", "command -V rm", "env -i ls", "exec ls", "exec >log 2>&1",
    ];

    [Theory]
    [MemberData(nameof(WrappedSpellings))]
    [MemberData(nameof(Hidden))]
    public void The_forbidden_command_is_blocked_wherever_it_hides(string line)
    {
        var verdict = Policies.Evaluate(ShellReader.Read(line));

        var blocked = Assert.IsType<LineBlocked>(verdict);
        Assert.Same(NoRecursiveDelete, blocked.Rule);
        Assert.Equal("rm", blocked.Command?.Name);
    }

    [Theory]
    [MemberData(nameof(Unknowable))]
    public void A_line_the_gateway_cannot_know_is_refused_with_a_reason(string line)
    {
        var verdict = Policies.Evaluate(ShellReader.Read(line));

        var refused = Assert.IsType<LineRefused>(verdict);
        Assert.False(string.IsNullOrWhiteSpace(refused.Reason));
        Assert.StartsWith("gatehouse: not run: ", refused.Explain(line));
    }

    [Theory]
    [MemberData(nameof(NearMisses))]
    public void A_near_miss_runs(string line)
    {
        var reading = ShellReader.Read(line);

        Assert.IsType<LineAllowed>(Policies.Evaluate(reading));
        Assert.True(reading.IsKnown, string.Join("; ", reading.Unknowables.Append(reading.Incomplete ?? "")));
    }

    [Theory]
    [MemberData(nameof(Unknowable))]
    [MemberData(nameof(NearMisses))]
    public void Without_a_restricting_policy_every_line_runs(string line)
    {
        var allowOnly = new CommandPolicySet([new CommandRule("shells", "bash", CommandRuleForm.Command, CommandRuleAction.Allow)]);

        Assert.IsType<LineAllowed>(allowOnly.Evaluate(ShellReader.Read(line)));
        Assert.IsType<LineAllowed>(new CommandPolicySet([]).Evaluate(ShellReader.Read(line)));
    }
}
