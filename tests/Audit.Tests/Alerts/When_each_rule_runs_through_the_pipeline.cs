using System.Net.Http.Json;
using Gatehouse.Audit.Alerts;
using Gatehouse.Audit.Detection;
using Gatehouse.Audit.Tests.EventPipeline;
using Gatehouse.Contracts;

namespace Gatehouse.Audit.Tests.Alerts;

/// <summary>Each rule's scenario and its near miss, appended in a producing service and evaluated by the real Audit service.</summary>
[Collection(AnAuditStoreFedByAProducerCollection.Name)]
public sealed class When_each_rule_runs_through_the_pipeline(AnAuditStoreFedByAProducer pipeline)
{
    private static string NewName(string name) => $"{name}-{Guid.NewGuid():N}"[..22];

    // The first test's events share one correlation id, so it can see them all stored before the sentinel.
    private static readonly string Scenario = Guid.NewGuid().ToString();

    private static IAccessEvent Failed(string user, string source, LoginFailureReason reason = LoginFailureReason.WrongPassword) =>
        new LoginFailed(user, "password", reason, null, user, source, Scenario, Guid.CreateVersion7(), DateTimeOffset.UtcNow);

    private static IAccessEvent Mfa(string user) =>
        new MfaFailed(user, LoginFailureReason.WrongMfaCode, user, "10.2.0.1", Scenario, Guid.CreateVersion7(), DateTimeOffset.UtcNow);

    private static IAccessEvent Denied(string user) =>
        new AccessDenied(user, "db01", "root", AccessDenialReason.NoMatchingGrant, "no grant", user, "10.2.0.2", Scenario, Guid.CreateVersion7(), DateTimeOffset.UtcNow);

    private static IAccessEvent Session(string user, string target) =>
        new SessionStarted(Guid.NewGuid(), user, target, target + ":22", "deploy", SessionKind.Shell, user, "10.2.0.3", Scenario, Guid.CreateVersion7(), DateTimeOffset.UtcNow);

    private static IAccessEvent Approved(string user, string approver) =>
        new AccessRequestApproved(Guid.NewGuid(), user, "db01", "root", Guid.NewGuid(), DateTimeOffset.UtcNow.AddHours(1), approver, "10.2.0.4", Scenario, Guid.CreateVersion7(), DateTimeOffset.UtcNow);

    private static IAccessEvent Mismatch(string target) =>
        new TargetHostKeyMismatched(target, "10.3.0.9:22", "SHA256:pinned", "SHA256:offered", "gateway", "10.2.0.5", Scenario, Guid.CreateVersion7(), DateTimeOffset.UtcNow);

    private static IAccessEvent Pinned(string target, string? previous) =>
        new TargetHostKeyPinned(Guid.NewGuid(), target, "ssh-ed25519 AAAA", "SHA256:new", previous is null, previous, "admin", null, Scenario, Guid.CreateVersion7(), DateTimeOffset.UtcNow);

    // The same vulnerable sshd, seen once as a change into a vulnerable state and once when the target already was vulnerable.
    private static IAccessEvent Inventory(string target, bool wasVulnerable) =>
        new TargetSshInventoryChanged(target, "10.3.0.10:22",
            new TargetSshServer("SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u2", ["curve25519-sha256"], ["aes128-ctr"], ["hmac-sha2-256"], ["ssh-ed25519"], true),
            null, [new PostureFinding("CVE-2024-6387", FindingSeverity.Critical, "regreSSHion", "update", Vulnerability: true)], wasVulnerable,
            new DateOnly(2026, 12, 4), "alice", "10.2.0.6", Scenario, Guid.CreateVersion7(), DateTimeOffset.UtcNow);

    [Fact]
    public async Task Should_fire_each_rule_on_its_scenario_and_stay_quiet_on_its_near_miss()
    {
        var spraySource = $"198.18.{Random.Shared.Next(255)}.{Random.Shared.Next(1, 255)}";
        var quietSource = $"198.19.{Random.Shared.Next(255)}.{Random.Shared.Next(1, 255)}";
        var mfaUser = NewName("mfa");
        var mfaQuiet = NewName("mfaq");
        var denied = NewName("denied");
        var deniedQuiet = NewName("deniedq");
        var roamer = NewName("roamer");
        var roamerQuiet = NewName("roamerq");
        var approver = NewName("approver");
        var target = NewName("host");
        var quietTarget = NewName("hostq");
        var scenarios = new List<IAccessEvent>();
        scenarios.AddRange(Enumerable.Range(0, 5).Select(i => Failed(NewName($"spray{i}"), spraySource)));
        scenarios.AddRange(Enumerable.Range(0, 4).Select(i => Failed(NewName($"sprayq{i}"), quietSource)));
        scenarios.AddRange(Enumerable.Range(0, 3).Select(_ => Mfa(mfaUser)));
        scenarios.AddRange(Enumerable.Range(0, 2).Select(_ => Mfa(mfaQuiet)));
        scenarios.AddRange(Enumerable.Range(0, 5).Select(_ => Denied(denied)));
        scenarios.AddRange(Enumerable.Range(0, 4).Select(_ => Denied(deniedQuiet)));
        scenarios.AddRange(Enumerable.Range(0, 5).Select(i => Session(roamer, $"{target}-{i}")));
        scenarios.AddRange(Enumerable.Range(0, 4).Select(i => Session(roamerQuiet, $"{target}-{i}")));
        scenarios.Add(Approved(approver, approver));
        scenarios.Add(Approved(NewName("requester"), approver + "-other"));
        scenarios.Add(Mismatch(target));
        scenarios.Add(Pinned(quietTarget, previous: null));
        scenarios.Add(Inventory(target, wasVulnerable: false));
        scenarios.Add(Inventory(quietTarget, wasVulnerable: true));
        await pipeline.Producer.AppendAsync(scenarios);
        Assert.Equal(scenarios.Count, (await pipeline.WaitForEventsAsync(Scenario, scenarios.Count)).Count);

        using var client = pipeline.Audit.Analyst();
        async Task<IReadOnlyList<AlertView>> Alerts(string rule) =>
            (await client.GetFromJsonAsync<IReadOnlyList<AlertView>>($"/api/audit/alerts?rule={rule}&limit=500", AuditService.Json))!;

        var deadline = DateTime.UtcNow.AddSeconds(60);
        var expected = new (string Rule, Func<AlertView, bool> Fired, Func<AlertView, bool> NearMiss)[]
        {
            (DetectionRules.PasswordSpraying, a => a.SourceAddress == spraySource, a => a.SourceAddress == quietSource),
            (DetectionRules.MfaFailures, a => a.UserName == mfaUser, a => a.UserName == mfaQuiet),
            (DetectionRules.DenialBurst, a => a.UserName == denied, a => a.UserName == deniedQuiet),
            (DetectionRules.TargetFanOut, a => a.UserName == roamer, a => a.UserName == roamerQuiet),
            (DetectionRules.SelfApproval, a => a.UserName == approver, a => a.Title.Contains(approver + "-other")),
            (DetectionRules.HostKeyChanged, a => a.Target == target, a => a.Target == quietTarget),
            (DetectionRules.VulnerableTarget, a => a.Target == target, a => a.Target == quietTarget),
        };
        foreach (var (rule, fired, _) in expected)
        {
            while (!(await Alerts(rule)).Any(fired) && DateTime.UtcNow < deadline)
            {
                await Task.Delay(200);
            }
        }

        // A command that always fires, appended once every scenario event is stored: once its alert exists, all have been through the rules.
        var sentinel = NewName("sentinel");
        await pipeline.Producer.AppendAsync([new CommandExecuted(Guid.NewGuid(), 1, sentinel, "web01", "root", "rm -rf /", CommandCapture.Exec,
            sentinel, "10.2.0.9", Guid.NewGuid().ToString(), Guid.CreateVersion7(), DateTimeOffset.UtcNow)]);
        while (!(await Alerts(DetectionRules.DestructiveCommand)).Any(a => a.UserName == sentinel) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
        }

        foreach (var (rule, fired, nearMiss) in expected)
        {
            var alerts = await Alerts(rule);
            Assert.True(alerts.Count(fired) == 1, $"{rule} should have fired once, fired {alerts.Count(fired)} times");
            Assert.False(alerts.Any(nearMiss), $"{rule} fired on its near miss");
        }
    }

    /// <summary>
    /// One row per rule: what makes it fire, and the case nearest to that which must not. Both sides get a subject of their
    /// own (a user, a target or a source); <c>Before</c> is stored first, because new-source and dormant-account judge
    /// a login against what came before it, and the store keeps the order it receives, not the order of the appends.
    /// </summary>
    private sealed record RuleCase(
        string Rule,
        string NearMiss,
        Func<AlertView, string?> Subject,
        Func<string, string, Stages> Fires,
        Func<string, string, Stages> Misses,
        bool SubjectIsSource = false);

    private sealed record Stages(IAccessEvent[] Before, IAccessEvent[] Then);

    private static Stages Now(params IAccessEvent[] then) => new([], then);

    private static DateTimeOffset Ago(TimeSpan age) => DateTimeOffset.UtcNow - age;

    private static LoginFailed FailedAt(string user, string source, string correlationId, DateTimeOffset at,
        LoginFailureReason reason = LoginFailureReason.WrongPassword) =>
        new(user, "password", reason, null, user, source, correlationId, Guid.CreateVersion7(), at);

    private static LoginSucceeded Login(string user, string source, string correlationId, DateTimeOffset at) =>
        new(user, "publickey", null, user, source, correlationId, Guid.CreateVersion7(), at);

    private static SessionStarted SessionAt(string user, string target, string correlationId, DateTimeOffset at) =>
        new(Guid.NewGuid(), user, target, target + ":22", "deploy", SessionKind.Shell, user, "10.4.0.3", correlationId, Guid.CreateVersion7(), at);

    private static AccessDenied DeniedAt(string user, string correlationId, DateTimeOffset at) =>
        new(user, "db01", "root", AccessDenialReason.NoMatchingGrant, "no grant", user, "10.4.0.2", correlationId, Guid.CreateVersion7(), at);

    private static CommandExecuted Command(string user, string line, string correlationId) =>
        new(Guid.NewGuid(), 1, user, "web01", "root", line, CommandCapture.Exec, user, "10.4.0.9", correlationId, Guid.CreateVersion7(), DateTimeOffset.UtcNow);

    private static GrantIssued Grant(string subject, string actor, string correlationId) =>
        new(Guid.NewGuid(), GrantSubjectKind.User, subject, ["db01"], new Dictionary<string, string>(), ["root"], [], null, [], null, false, false,
            null, actor, "10.4.0.4", correlationId, Guid.CreateVersion7(), DateTimeOffset.UtcNow);

    private static TargetHostKeyPinned Repinned(string target, string previous, string correlationId) =>
        new(Guid.NewGuid(), target, "ssh-ed25519 AAAA", "SHA256:now", false, previous, "admin", "10.4.0.5", correlationId, Guid.CreateVersion7(), DateTimeOffset.UtcNow);

    private static AccessChangeRefused RefusedChange(string actor, ChangeRefusalReason reason, string correlationId, DateTimeOffset at, string role) =>
        new("PUT /api/roles/{role}/members/{user}", $"role=dba, user={actor}", reason, [role], actor, "10.4.0.6", correlationId, Guid.CreateVersion7(), at);

    private static TargetSshInventoryChanged Seen(string target, bool wasVulnerable, string correlationId) =>
        new(target, "10.4.0.6:22", new TargetSshServer("SSH-2.0-OpenSSH_9.7p1", ["curve25519-sha256"], ["aes128-ctr"], ["hmac-sha2-256"], ["ssh-ed25519"], true),
            null, [new PostureFinding("CVE-2024-6387", FindingSeverity.Critical, "regreSSHion", "upgrade", Vulnerability: true)], wasVulnerable,
            new DateOnly(2026, 12, 4), "alice", "10.4.0.6", correlationId, Guid.CreateVersion7(), DateTimeOffset.UtcNow);

    private static BastionDoctorReported Checked(string host, FindingSeverity severity, string correlationId) =>
        new(host, [new PostureFinding("service-as-root", severity, "Gatehouse.Audit runs as root (pid 7)", "use the systemd units")], "gateway", null,
            correlationId, Guid.CreateVersion7(), DateTimeOffset.UtcNow);

    private static IEnumerable<DateTimeOffset> Times(DateTimeOffset first, int count) => Enumerable.Range(0, count).Select(i => first.AddSeconds(i));

    /// <summary>The latest Tuesday at least a week ago, at <paramref name="time"/> UTC (the default business hours are 07:00-19:00 UTC, Monday to Friday).</summary>
    private static DateTimeOffset LastTuesday(TimeOnly time)
    {
        var today = DateTime.UtcNow.Date;
        var day = today.AddDays(-7 - ((int)today.DayOfWeek - (int)DayOfWeek.Tuesday + 7) % 7);
        return new DateTimeOffset(day.Add(time.ToTimeSpan()), TimeSpan.Zero);
    }

    private static readonly RuleCase[] Cases =
    [
        new(DetectionRules.BruteForce, "five failures, the first just outside the five-minute window", a => a.UserName,
            (user, c) => Now([.. Times(Ago(TimeSpan.FromMinutes(1)), 5).Select(t => FailedAt(user, "10.4.1.1", c, t))]),
            (user, c) => new([FailedAt(user, "10.4.1.2", c, Ago(TimeSpan.FromMinutes(5.5)))],
                [.. Times(Ago(TimeSpan.FromSeconds(20)), 4).Select(t => FailedAt(user, "10.4.1.2", c, t))])),
        new(DetectionRules.PasswordSpraying, "five users from one source, the first just outside the ten-minute window", a => a.SourceAddress,
            (source, c) => Now([.. Enumerable.Range(0, 5).Select(i => FailedAt($"spray{i}-{c[..8]}", source, c, DateTimeOffset.UtcNow))]),
            (source, c) => new([FailedAt($"sprayq0-{c[..8]}", source, c, Ago(TimeSpan.FromMinutes(10.5)))],
                [.. Enumerable.Range(1, 4).Select(i => FailedAt($"sprayq{i}-{c[..8]}", source, c, DateTimeOffset.UtcNow))]),
            SubjectIsSource: true),
        new(DetectionRules.MfaFailures, "three wrong codes, the first just outside the ten-minute window", a => a.UserName,
            // Wrong codes also arrive as failed logins, not only as MfaFailed.
            (user, c) => Now([.. Times(Ago(TimeSpan.FromMinutes(1)), 3).Select(t => FailedAt(user, "10.4.1.3", c, t, LoginFailureReason.WrongMfaCode))]),
            (user, c) => new([new MfaFailed(user, LoginFailureReason.WrongMfaCode, user, "10.4.1.3", c, Guid.CreateVersion7(), Ago(TimeSpan.FromMinutes(10.5)))],
                [.. Times(Ago(TimeSpan.FromSeconds(20)), 2).Select(t => new MfaFailed(user, LoginFailureReason.MfaCodeReused, user, "10.4.1.3", c, Guid.CreateVersion7(), t))])),
        new(DetectionRules.NewSource, "a second login from the source already known", a => a.UserName,
            (user, c) => new([Login(user, "10.4.2.1", c, Ago(TimeSpan.FromHours(1)))], [Login(user, "10.4.2.2", c, DateTimeOffset.UtcNow)]),
            (user, c) => new([Login(user, "10.4.2.1", c, Ago(TimeSpan.FromHours(1)))], [Login(user, "10.4.2.1", c, DateTimeOffset.UtcNow)])),
        new(DetectionRules.OutsideBusinessHours, "a session one minute before closing time instead of at it", a => a.UserName,
            (user, c) => Now(SessionAt(user, "web01", c, LastTuesday(new TimeOnly(19, 0)))),
            (user, c) => Now(SessionAt(user, "web01", c, LastTuesday(new TimeOnly(18, 59))))),
        new(DetectionRules.DenialBurst, "five denials, the first just outside the five-minute window", a => a.UserName,
            (user, c) => Now([.. Times(Ago(TimeSpan.FromMinutes(1)), 5).Select(t => DeniedAt(user, c, t))]),
            (user, c) => new([DeniedAt(user, c, Ago(TimeSpan.FromMinutes(5.5)))], [.. Times(Ago(TimeSpan.FromSeconds(20)), 4).Select(t => DeniedAt(user, c, t))])),
        new(DetectionRules.PrivilegeEscalation, "sudo for an ordinary command", a => a.UserName,
            (user, c) => Now(Command(user, "sudo su -", c)),
            (user, c) => Now(Command(user, "sudo systemctl restart nginx", c))),
        new(DetectionRules.DestructiveCommand, "a recursive delete of a build directory", a => a.UserName,
            (user, c) => Now(Command(user, "dd if=/dev/zero of=/dev/nvme0n1 bs=1M", c)),
            (user, c) => Now(Command(user, "rm -rf /tmp/build", c))),
        new(DetectionRules.AntiForensic, "a history file read, not emptied", a => a.UserName,
            (user, c) => Now(Command(user, "ln -sf /dev/null ~/.bash_history", c)),
            (user, c) => Now(Command(user, "grep ssh ~/.bash_history", c))),
        new(DetectionRules.TargetFanOut, "five sessions on four distinct targets", a => a.UserName,
            (user, c) => Now([.. Enumerable.Range(0, 5).Select(i => SessionAt(user, $"fan{i}", c, DateTimeOffset.UtcNow))]),
            (user, c) => Now([.. new[] { 0, 1, 2, 3, 0 }.Select(i => SessionAt(user, $"fan{i}", c, DateTimeOffset.UtcNow))])),
        new(DetectionRules.DormantAccount, "a login after twenty-nine days", a => a.UserName,
            (user, c) => new([Login(user, "10.4.3.1", c, Ago(TimeSpan.FromDays(31)))], [Login(user, "10.4.3.1", c, DateTimeOffset.UtcNow)]),
            (user, c) => new([Login(user, "10.4.3.1", c, Ago(TimeSpan.FromDays(29)))], [Login(user, "10.4.3.1", c, DateTimeOffset.UtcNow)])),
        new(DetectionRules.SelfApproval, "a grant issued by an administrator to someone else", a => a.UserName,
            (user, c) => Now(Grant(user, user, c)),
            (user, c) => Now(Grant(user, "admin-" + user, c))),
        new(DetectionRules.RefusedAdminChange, "an administrator's four invalid changes within ten minutes", a => a.UserName,
            (user, c) => Now(RefusedChange(user, ChangeRefusalReason.Forbidden, c, DateTimeOffset.UtcNow, "user")),
            (user, c) => Now([.. Times(Ago(TimeSpan.FromMinutes(1)), 4).Select(t => RefusedChange(user, ChangeRefusalReason.InvalidInput, c, t, "admin"))])),
        new(DetectionRules.HostKeyChanged, "a target pinned again with the key it already had", a => a.Target,
            (target, c) => Now(Repinned(target, "SHA256:before", c)),
            (target, c) => Now(Repinned(target, "SHA256:now", c))),
        new(DetectionRules.VulnerableTarget, "the same vulnerable sshd seen again after a change of its offer", a => a.Target,
            (target, c) => Now(Seen(target, wasVulnerable: false, c)),
            (target, c) => Now(Seen(target, wasVulnerable: true, c))),
        new(DetectionRules.BastionCritical, "a high finding, not a critical one", a => a.Title.StartsWith("The bastion ") ? a.Title.Split(' ')[2] : null,
            (host, c) => Now(Checked(host, FindingSeverity.Critical, c)),
            (host, c) => Now(Checked(host, FindingSeverity.High, c))),
    ];

    [Fact]
    public void Should_have_a_scenario_and_a_near_miss_for_every_declared_rule() =>
        Assert.Equal(DetectionRules.All.Select(rule => rule.Name).Order(), Cases.Select(rule => rule.Rule).Order());

    [Fact]
    public async Task Should_fire_each_rule_on_its_scenario_and_stay_quiet_on_the_nearest_miss_outside_its_window_or_condition()
    {
        var runs = Cases.Select(rule =>
        {
            string Subject() => rule.SubjectIsSource ? $"2001:db8:{Random.Shared.Next(0x10000):x}:{Random.Shared.Next(0x10000):x}::{Random.Shared.Next(1, 0x10000):x}" : NewName("rule");
            var (fire, miss) = (Subject(), Subject());
            var correlationId = Guid.NewGuid().ToString();
            return (Rule: rule, Fire: fire, Miss: miss, CorrelationId: correlationId,
                Fires: rule.Fires(fire, correlationId), Misses: rule.Misses(miss, correlationId));
        }).ToList();

        // History first, all rows at once, and only then what is judged against it.
        await pipeline.Producer.AppendAsync(runs.SelectMany(r => r.Fires.Before.Concat(r.Misses.Before)));
        foreach (var run in runs)
        {
            await pipeline.WaitForEventsAsync(run.CorrelationId, run.Fires.Before.Length + run.Misses.Before.Length);
        }

        await pipeline.Producer.AppendAsync(runs.SelectMany(r => r.Fires.Then.Concat(r.Misses.Then)));
        foreach (var run in runs)
        {
            var all = run.Fires.Before.Length + run.Misses.Before.Length + run.Fires.Then.Length + run.Misses.Then.Length;
            Assert.Equal(all, (await pipeline.WaitForEventsAsync(run.CorrelationId, all)).Count);
        }

        // Every event above is stored before the sentinel is appended, so once the sentinel's alert exists, all were judged.
        var sentinel = NewName("sentinel");
        await pipeline.Producer.AppendAsync([Command(sentinel, "rm -rf /", Guid.NewGuid().ToString())]);
        using var client = pipeline.Audit.Analyst();
        async Task<IReadOnlyList<AlertView>> Alerts(string rule) =>
            (await client.GetFromJsonAsync<IReadOnlyList<AlertView>>($"/api/audit/alerts?rule={rule}&limit=500", AuditService.Json))!;

        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!(await Alerts(DetectionRules.DestructiveCommand)).Any(a => a.UserName == sentinel) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
        }

        var failures = new List<string>();
        foreach (var run in runs)
        {
            var alerts = await Alerts(run.Rule.Rule);
            var fired = alerts.Where(a => run.Rule.Subject(a) == run.Fire).ToList();
            if (fired.Count != 1)
            {
                failures.Add($"{run.Rule.Rule} fired {fired.Count} times on its scenario instead of once");
            }
            else if (!run.Fires.Then.Select(e => e.EventId).Intersect(fired[0].TriggeringEventIds).Any())
            {
                failures.Add($"{run.Rule.Rule}'s alert does not carry the event that made it fire");
            }

            if (alerts.Any(a => run.Rule.Subject(a) == run.Miss))
            {
                failures.Add($"{run.Rule.Rule} fired on its near miss: {run.Rule.NearMiss}");
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }
}
