using System.Diagnostics;
using Gatehouse.Audit.Detection;
using Gatehouse.Audit.Detection.Sigma;
using Gatehouse.Contracts;
using Gatehouse.Shell;

namespace Gatehouse.Benchmarks.Detection;

/// <summary>
/// What the rules cost per event, without the pipeline: <see cref="DetectionRules.Evaluate"/> (after the Sigma rules when
/// some are loaded, as the alert detector runs them) over a stream shaped like a bastion's (logins, sessions, commands an
/// operator types, file operations, a few failures), one event after another as the daemon applies them, the state pruned
/// every 500 events as the detector does per page.
/// </summary>
public static class RuleCost
{
    // Ordinary work, the kind of line most commands are; a few lines that fire so the alert path is paid too.
    private static readonly string[] Lines =
    [
        "ls -la", "cd /var/www", "systemctl status nginx", "journalctl -u nginx --since today", "tail -f /var/log/nginx/error.log",
        "git pull --rebase", "docker ps -a", "kubectl get pods -n prod", "df -h", "free -m", "top -b -n 1 | head -20",
        "grep -R 'timeout' /etc/nginx/", "cat /etc/os-release", "sudo systemctl restart nginx", "vim /etc/nginx/nginx.conf",
        "find . -name '*.log' -mtime +7", "tar czf backup.tgz /srv/app", "ps aux | grep java", "curl -s localhost:8080/health",
        "export KUBECONFIG=~/.kube/prod", "for f in *.conf; do echo $f; done", "echo \"sudo -i\"", "man rm",
        "rm -rf /tmp/build", "history | tail", "chmod 755 deploy.sh", "sudo -i", "rm -rf /", "history -c",
    ];

    /// <param name="sigma">Sigma rules to time beside the built-in ones alone; null times the built-in rules only.</param>
    public static void Run(int events, int runs, SigmaRuleSet? sigma = null)
    {
        var stream = Stream(events);
        var settings = new DetectionSettings();
        Console.WriteLine($"rule cost: {events:N0} events a run ({stream.Count(e => e is CommandExecuted):N0} commands), {runs} runs after a warm-up");
        var perEvent = new List<double>();
        var perCommand = new List<double>();
        var withSigma = new List<double>();
        for (var run = 0; run < runs + 1; run++)
        {
            var (all, commands) = (Time(stream, settings, null, _ => true), Time(stream, settings, null, e => e is CommandExecuted));
            var both = sigma is null ? 0 : Time(stream, settings, sigma, _ => true);
            if (run > 0)
            {
                perEvent.Add(all);
                perCommand.Add(commands);
                withSigma.Add(both);
            }
        }

        Console.WriteLine($"per event (mixed stream): {Summary(perEvent)}");
        Console.WriteLine($"per command (CommandExecuted only): {Summary(perCommand)}");
        if (sigma is not null)
        {
            Console.WriteLine($"per event, built-in + {sigma.Rules.Count} Sigma rules: {Summary(withSigma)}");
        }
    }

    private static string Summary(List<double> perEvent)
    {
        var sorted = perEvent.Order().ToList();
        return $"median {sorted[sorted.Count / 2]:F2} µs (best {sorted[0]:F2}, worst {sorted[^1]:F2})";
    }

    private static double Time(IReadOnlyList<IAccessEvent> stream, DetectionSettings settings, SigmaRuleSet? sigma, Func<IAccessEvent, bool> which)
    {
        var selected = stream.Where(which).ToList();
        var longest = DetectionRules.LongestLookBack(settings);
        var state = DetectionState.Empty;
        var alerts = 0;
        var started = Stopwatch.GetTimestamp();
        for (var i = 0; i < selected.Count; i++)
        {
            if (sigma is not null)
            {
                var (judged, raised) = sigma.Evaluate(state, i + 1, selected[i]);
                state = judged;
                alerts += raised.Count;
            }

            var (next, found) = DetectionRules.Evaluate(state, i + 1, selected[i], settings);
            state = next;
            alerts += found.Count;
            if (i % 500 == 499)
            {
                state = DetectionRules.Prune(state, selected[i].OccurredAt, longest);
            }
        }

        GC.KeepAlive(alerts);
        return Stopwatch.GetElapsedTime(started).TotalMicroseconds / selected.Count;
    }

    private static readonly (string Line, ShellCommand[] Commands)[] Ordinary =
    [
        ("systemctl status nginx", [new("systemctl", ["status", "nginx"])]),
        ("tail -n 100 /var/log/syslog | grep -i error", [new("tail", ["-n", "100", "/var/log/syslog"]), new("grep", ["-i", "error"])]),
        ("ls -la /etc/nginx/sites-enabled", [new("ls", ["-la", "/etc/nginx/sites-enabled"])]),
        ("sudo journalctl -u app --since today", [new("sudo", ["journalctl", "-u", "app", "--since", "today"]), new("journalctl", ["-u", "app", "--since", "today"])]),
        ("df -h && free -m", [new("df", ["-h"]), new("free", ["-m"])]),
        ("cat /etc/hosts", [new("cat", ["/etc/hosts"])]),
    ];

    /// <summary>A command of ordinary work that fires no rule, with the simple commands the gateway reads in it (the pipeline run's background).</summary>
    public static CommandExecuted OrdinaryCommand(Random random, string user, string source, DateTimeOffset at)
    {
        var (line, commands) = Ordinary[random.Next(Ordinary.Length)];
        return new CommandExecuted(Guid.NewGuid(), 1, user, $"host{random.Next(50)}", "deploy", line, CommandCapture.InteractiveLine, user, source, "c",
            Guid.CreateVersion7(), at, commands);
    }

    // As the gateway records it: the line and the simple commands its shell reader read in it.
    private static readonly Dictionary<string, CommandExecuted> Recorded = Lines.ToDictionary(line => line, line =>
        new CommandExecuted(Guid.NewGuid(), 1, "", "web01", "deploy", line, CommandCapture.InteractiveLine, "", null, "c", Guid.NewGuid(),
            DateTimeOffset.UnixEpoch, ShellReader.Read(line).Commands.Select(c => new ShellCommand(c.Name, c.Arguments.Select(a => a.ToString()).ToList())).ToList()));

    private static CommandExecuted Command(string line) => Recorded[line] with { SessionId = Guid.NewGuid() };

    private static List<IAccessEvent> Stream(int count)
    {
        var random = new Random(21);
        var start = new DateTimeOffset(2026, 3, 3, 9, 0, 0, TimeSpan.Zero);
        var events = new List<IAccessEvent>(count);
        for (var i = 0; i < count; i++)
        {
            var at = start.AddMilliseconds(i * 50);
            var user = $"user{random.Next(500)}";
            var source = $"10.0.{random.Next(4)}.{random.Next(20)}";
            events.Add(random.Next(10) switch
            {
                0 => new LoginSucceeded(user, "publickey", null, user, source, "c", Guid.NewGuid(), at),
                1 => new SessionStarted(Guid.NewGuid(), user, $"host{random.Next(300)}", "host:22", "deploy", SessionKind.Shell, user, source, "c",
                    Guid.NewGuid(), at),
                2 => new LoginFailed(user, "password", LoginFailureReason.WrongPassword, null, user, source, "c", Guid.NewGuid(), at),
                3 => new SftpFileOperation(Guid.NewGuid(), 1, user, $"host{random.Next(300)}", "deploy", SftpOperation.OpenForWrite,
                    $"/srv/app/releases/{i}.tar.gz", null, user, source, "c", Guid.NewGuid(), at),
                _ => Command(Lines[random.Next(Lines.Length)]) with { UserName = user, Actor = user, SourceAddress = source, EventId = Guid.NewGuid(), OccurredAt = at },
            });
        }

        return events;
    }
}
