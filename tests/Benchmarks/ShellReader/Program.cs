using System.Diagnostics;
using Gatehouse.Shell;

// What the gateway pays per line to know what it would run and check it: ShellReader.Read plus
// CommandPolicySet.Evaluate with 100 policies, over a corpus of lines people type at a bastion, one after another.
// Run: dotnet run -c Release --project tests/Benchmarks/ShellReader -- [lines per run] [runs]
var linesPerRun = args.Length > 0 ? int.Parse(args[0]) : 100_000;
var runs = args.Length > 1 ? int.Parse(args[1]) : 5;

string[] corpus =
[
    "ls -la", "cd /var/log && ls -lt | head", "tail -f /var/log/syslog", "sudo systemctl restart nginx", "systemctl status nginx",
    "journalctl -u nginx --since '1 hour ago' | grep -i error", "ps aux | grep [j]ava", "df -h", "du -sh /var/* 2>/dev/null | sort -h",
    "free -m", "top -bn1 | head -20", "cat /etc/os-release", "grep -rn 'listen' /etc/nginx/", "vim /etc/nginx/nginx.conf",
    "sudo -u postgres psql -c 'select 1'", "docker ps --format '{{.Names}}'", "docker logs -f --tail 100 web",
    "kubectl get pods -n prod -o wide", "kubectl describe pod web-7f9c -n prod", "git status", "git log --oneline -10",
    "git pull --rebase && make -j4", "find /tmp -name '*.tmp' -mtime +7 -exec rm -f {} \\;", "tar -czf /tmp/backup-$(date +%F).tgz /etc",
    "for h in web1 web2 web3; do ssh $h uptime; done", "echo \"$HOME\" $PATH", "export EDITOR=vim", "history | tail -20",
    "awk '{print $1}' access.log | sort | uniq -c | sort -rn | head", "sed -n '1,20p' /etc/passwd", "curl -sS http://localhost:8080/health",
    "while read l; do echo \"$l\"; done < hosts.txt", "if [ -f /etc/motd ]; then cat /etc/motd; fi", "chmod 640 /etc/app.conf",
    "chown -R www-data:www-data /var/www", "rm -f /tmp/app.pid", "rm -rf /tmp/build", "sudo rm -fr /var/cache/app",
    "cp -a config{,.bak}", "mkdir -p /srv/app/{logs,tmp,run}", "ss -tlnp | grep :443", "ip -br a", "uptime",
    "openssl x509 -in cert.pem -noout -dates", "echo 'rm -rf /tmp/x' | sh", "bash -c 'cd /srv && ./deploy.sh'", "$EDITOR notes.txt",
    "cat <<'EOF' > /tmp/note\nhello\nEOF", "xargs -n1 echo < list.txt", "less /var/log/auth.log",
];

var policies = Policies();
var set = new CommandPolicySet(policies);
Console.WriteLine($"{policies.Count} policies ({policies.Count(p => p.Form == CommandRuleForm.Command)} command, "
    + $"{policies.Count(p => p.Form == CommandRuleForm.Glob)} glob, {policies.Count(p => p.Form == CommandRuleForm.Regex)} regex), "
    + $"{corpus.Length} distinct lines, {linesPerRun:N0} lines per run, {runs} runs, {Environment.ProcessorCount} cores");

var results = new List<(string Measure, double P50, double P99, double Mean)>();
for (var run = 1; run <= runs; run++)
{
    results.Add(Measure($"read + evaluate, {policies.Count} policies", line => set.Evaluate(ShellReader.Read(line))));
    results.Add(Measure("read only", line => ShellReader.Read(line)));
}

Console.WriteLine();
Console.WriteLine("| measure | p50 µs (median of runs) | p99 µs (median of runs) | mean µs |");
Console.WriteLine("|---|---|---|---|");
foreach (var measure in results.GroupBy(r => r.Measure))
{
    Console.WriteLine($"| {measure.Key} | {Median(measure.Select(r => r.P50)):N1} | {Median(measure.Select(r => r.P99)):N1} | {Median(measure.Select(r => r.Mean)):N1} |");
}

return;

(string, double, double, double) Measure(string measure, Func<string, object> check)
{
    for (var i = 0; i < 5_000; i++)
    {
        check(corpus[i % corpus.Length]);
    }

    var latencies = new double[linesPerRun];
    int blocked = 0, refused = 0;
    for (var i = 0; i < linesPerRun; i++)
    {
        var started = Stopwatch.GetTimestamp();
        var outcome = check(corpus[i % corpus.Length]);
        latencies[i] = Stopwatch.GetElapsedTime(started).TotalMicroseconds;
        blocked += outcome is LineBlocked ? 1 : 0;
        refused += outcome is LineRefused ? 1 : 0;
    }

    var mean = latencies.Average();
    Array.Sort(latencies);
    var result = (measure, latencies[latencies.Length / 2], latencies[(int)(latencies.Length * 0.99)], mean);
    Console.WriteLine($"{measure}: p50 {result.Item2:N1} µs, p99 {result.Item3:N1} µs, mean {mean:N1} µs, max {latencies[^1]:N0} µs; "
        + $"{(double)blocked / linesPerRun:P0} blocked, {(double)refused / linesPerRun:P0} refused");
    return result;
}

static double Median(IEnumerable<double> values)
{
    var sorted = values.Order().ToArray();
    return sorted[sorted.Length / 2];
}

// A deny list as an operator might build it: semantic rules for destructive programs, globs kept from before, and
// regexes; most never match, as in real sessions.
static List<CommandRule> Policies()
{
    var rules = new List<CommandRule>
    {
        new("no-recursive-delete", "rm -r -f", CommandRuleForm.Command, CommandRuleAction.Deny),
        new("no-setuid", "chmod u+s", CommandRuleForm.Command, CommandRuleAction.Deny),
        new("no-etc-delete", "rm /etc", CommandRuleForm.Command, CommandRuleAction.Deny),
        new("no-force-push", "git push --force", CommandRuleForm.Command, CommandRuleAction.Deny),
        new("no-reboot", "reboot", CommandRuleForm.Glob, CommandRuleAction.Deny),
        new("no-shutdown", "shutdown *", CommandRuleForm.Glob, CommandRuleAction.Deny),
        new("no-mkfs", @"^mkfs(\.\w+)?\b", CommandRuleForm.Regex, CommandRuleAction.Deny),
        new("no-dd-to-disk", @"\bdd\b.*\bof=/dev/", CommandRuleForm.Regex, CommandRuleAction.Deny),
        new("no-iptables-flush", "iptables -F*", CommandRuleForm.Glob, CommandRuleAction.Deny),
        new("no-userdel", "userdel *", CommandRuleForm.Glob, CommandRuleAction.RequireApproval),
    };
    for (var i = rules.Count; i < 100; i++)
    {
        rules.Add((i % 3) switch
        {
            0 => new CommandRule($"tool-{i}", $"tool{i} --dangerous -x", CommandRuleForm.Command, CommandRuleAction.Deny),
            1 => new CommandRule($"glob-{i}", $"service{i} stop *", CommandRuleForm.Glob, CommandRuleAction.Deny),
            _ => new CommandRule($"regex-{i}", $@"\bdrop\s+database\s+db{i}\b", CommandRuleForm.Regex, CommandRuleAction.Deny),
        });
    }

    return rules;
}
