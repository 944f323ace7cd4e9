using System.Diagnostics;
using Gatehouse.Audit.Detection;
using Gatehouse.Contracts;
using Gatehouse.Shell;

namespace Gatehouse.Benchmarks.Detection;

/// <summary>
/// What the rules cost per event, without the pipeline: <see cref="DetectionRules.Evaluate"/> over a stream shaped like
/// a bastion's (logins, sessions, commands an operator types, a few failures), one event after another as the daemon
/// applies them, the state pruned every 500 events as the detector does per page.
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

    public static void Run(int events, int runs)
    {
        var stream = Stream(events);
        var settings = new DetectionSettings();
        var longest = DetectionRules.LongestLookBack(settings);
        Console.WriteLine($"rule cost: {events:N0} events a run ({stream.Count(e => e is CommandExecuted):N0} commands), {runs} runs");
        var perEvent = new List<double>();
        var perCommand = new List<double>();
        for (var run = 0; run < runs + 1; run++)
        {
            var (all, commands) = (Time(stream, settings, longest, _ => true), Time(stream, settings, longest, e => e is CommandExecuted));
            if (run > 0)
            {
                perEvent.Add(all);
                perCommand.Add(commands);
            }
        }

        perEvent.Sort();
        perCommand.Sort();
        Console.WriteLine($"per event (mixed stream): median {perEvent[runs / 2]:F2} µs, best {perEvent[0]:F2} µs");
        Console.WriteLine($"per command (CommandExecuted only): median {perCommand[runs / 2]:F2} µs, best {perCommand[0]:F2} µs");
    }

    private static double Time(IReadOnlyList<IAccessEvent> stream, DetectionSettings settings, DetectionRules.LookBack longest, Func<IAccessEvent, bool> which)
    {
        var selected = stream.Where(which).ToList();
        var state = DetectionState.Empty;
        var started = Stopwatch.GetTimestamp();
        for (var i = 0; i < selected.Count; i++)
        {
            state = DetectionRules.Evaluate(state, i + 1, selected[i], settings).State;
            if (i % 500 == 499)
            {
                state = DetectionRules.Prune(state, selected[i].OccurredAt, longest);
            }
        }

        return Stopwatch.GetElapsedTime(started).TotalMicroseconds / selected.Count;
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
                _ => Command(Lines[random.Next(Lines.Length)]) with { UserName = user, Actor = user, SourceAddress = source, EventId = Guid.NewGuid(), OccurredAt = at },
            });
        }

        return events;
    }
}
