using System.Diagnostics;
using Gatehouse.Audit.Detection;
using Gatehouse.Audit.Detection.Sigma;
using Gatehouse.Contracts;

namespace Gatehouse.Benchmarks.Detection;

/// <summary>
/// The rules' cost per event in process, as the alert detector runs them (Sigma rules, then the built-in fold, pruning per
/// page of 500): the built-in rules alone against the built-in rules with the Sigma rules loaded, over the same events.
/// </summary>
public static class RuleEvaluationCost
{
    public static void Measure(SigmaRuleSet sigma, int events = 20_000, int runs = 9)
    {
        var sample = Events(events);
        var settings = new DetectionSettings();
        Run(sample, settings, null);
        Run(sample, settings, sigma);
        var builtIn = new List<double>();
        var withSigma = new List<double>();
        for (var run = 0; run < runs; run++)
        {
            builtIn.Add(Run(sample, settings, null));
            withSigma.Add(Run(sample, settings, sigma));
        }

        Console.WriteLine($"rule evaluation per event over {events:N0} events (logins, failures, commands, file operations), {runs} runs:");
        Console.WriteLine($"  built-in rules alone:            {Summary(builtIn)}");
        Console.WriteLine($"  built-in + {sigma.Rules.Count} Sigma rules:     {Summary(withSigma)}");
    }

    private static double Run(IReadOnlyList<IAccessEvent> sample, DetectionSettings settings, SigmaRuleSet? sigma)
    {
        var state = DetectionState.Empty;
        var longest = DetectionRules.LongestLookBack(settings);
        var alerts = 0;
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < sample.Count; i++)
        {
            if (sigma is not null)
            {
                var (judged, raised) = sigma.Evaluate(state, i + 1, sample[i]);
                state = judged;
                alerts += raised.Count;
            }

            var (next, found) = DetectionRules.Evaluate(state, i + 1, sample[i], settings);
            state = next;
            alerts += found.Count;
            if (i % 500 == 499)
            {
                state = DetectionRules.Prune(state, sample[i].OccurredAt, longest);
            }
        }

        GC.KeepAlive(alerts);
        return clock.Elapsed.TotalMicroseconds / sample.Count;
    }

    private static string Summary(List<double> perEvent)
    {
        var sorted = perEvent.Order().ToList();
        return $"median {sorted[sorted.Count / 2]:N1} µs (min {sorted[0]:N1}, max {sorted[^1]:N1})";
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

    /// <summary>A command of ordinary work, with the simple commands the gateway reads in it.</summary>
    public static CommandExecuted OrdinaryCommand(Random random, string user, string source, DateTimeOffset at)
    {
        var (line, commands) = Ordinary[random.Next(Ordinary.Length)];
        return new CommandExecuted(Guid.NewGuid(), 1, user, $"host{random.Next(50)}", "deploy", line, CommandCapture.InteractiveLine, user, source, "c",
            Guid.CreateVersion7(), at, commands);
    }

    private static List<IAccessEvent> Events(int count)
    {
        var random = new Random(3);
        var start = DateTimeOffset.UtcNow.AddHours(-1);
        var list = new List<IAccessEvent>(count);
        for (var i = 0; i < count; i++)
        {
            var at = start.AddMilliseconds(i * 50);
            var user = $"user{random.Next(500)}";
            var source = $"10.0.{random.Next(4)}.{random.Next(1, 3)}";
            list.Add((i % 10) switch
            {
                < 5 => new LoginSucceeded(user, "publickey", null, user, source, "c", Guid.NewGuid(), at),
                5 => new LoginFailed(user, "password", LoginFailureReason.WrongPassword, null, user, source, "c", Guid.NewGuid(), at),
                < 9 => OrdinaryCommand(random, user, source, at),
                _ => new SftpFileOperation(Guid.NewGuid(), 1, user, $"host{random.Next(50)}", "deploy", SftpOperation.OpenForWrite,
                    $"/srv/app/releases/{i}.tar.gz", null, user, source, "c", Guid.NewGuid(), at),
            });
        }

        return list;
    }
}
