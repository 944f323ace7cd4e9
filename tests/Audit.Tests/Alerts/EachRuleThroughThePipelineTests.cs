using System.Net.Http.Json;
using Gatehouse.Audit.Alerts;
using Gatehouse.Audit.Detection;
using Gatehouse.Audit.Tests.EventPipeline;
using Gatehouse.Contracts;

namespace Gatehouse.Audit.Tests.Alerts;

/// <summary>Each rule's scenario and its near miss, appended in a producing service and evaluated by the real Audit service.</summary>
[Collection(PipelineCollection.Name)]
public sealed class EachRuleThroughThePipelineTests(PipelineFixture pipeline)
{
    private static string NewName(string name) => $"{name}-{Guid.NewGuid():N}"[..22];

    private static IAccessEvent Failed(string user, string source, LoginFailureReason reason = LoginFailureReason.WrongPassword) =>
        new LoginFailed(user, "password", reason, null, user, source, Guid.NewGuid().ToString(), Guid.CreateVersion7(), DateTimeOffset.UtcNow);

    private static IAccessEvent Mfa(string user) =>
        new MfaFailed(user, LoginFailureReason.WrongMfaCode, user, "10.2.0.1", Guid.NewGuid().ToString(), Guid.CreateVersion7(), DateTimeOffset.UtcNow);

    private static IAccessEvent Denied(string user) =>
        new AccessDenied(user, "db01", "root", AccessDenialReason.NoMatchingGrant, "no grant", user, "10.2.0.2", Guid.NewGuid().ToString(), Guid.CreateVersion7(), DateTimeOffset.UtcNow);

    private static IAccessEvent Session(string user, string target) =>
        new SessionStarted(Guid.NewGuid(), user, target, target + ":22", "deploy", SessionKind.Shell, user, "10.2.0.3", Guid.NewGuid().ToString(), Guid.CreateVersion7(), DateTimeOffset.UtcNow);

    private static IAccessEvent Approved(string user, string approver) =>
        new AccessRequestApproved(Guid.NewGuid(), user, "db01", "root", Guid.NewGuid(), DateTimeOffset.UtcNow.AddHours(1), approver, "10.2.0.4", Guid.NewGuid().ToString(), Guid.CreateVersion7(), DateTimeOffset.UtcNow);

    private static IAccessEvent Mismatch(string target) =>
        new TargetHostKeyMismatched(target, "10.3.0.9:22", "SHA256:pinned", "SHA256:offered", "gateway", "10.2.0.5", Guid.NewGuid().ToString(), Guid.CreateVersion7(), DateTimeOffset.UtcNow);

    private static IAccessEvent Pinned(string target, string? previous) =>
        new TargetHostKeyPinned(Guid.NewGuid(), target, "ssh-ed25519 AAAA", "SHA256:new", previous is null, previous, "admin", null, Guid.NewGuid().ToString(), Guid.CreateVersion7(), DateTimeOffset.UtcNow);

    [Fact]
    public async Task Each_rule_fires_on_its_scenario_and_stays_quiet_on_its_near_miss()
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
        await pipeline.Producer.AppendAsync(scenarios);

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
        };
        foreach (var (rule, fired, _) in expected)
        {
            while (!(await Alerts(rule)).Any(fired) && DateTime.UtcNow < deadline)
            {
                await Task.Delay(200);
            }
        }

        // A command that always fires, appended last: once its alert exists, every scenario event has been through the rules.
        var sentinel = NewName("sentinel");
        await pipeline.Producer.AppendAsync([new CommandExecuted(Guid.NewGuid(), 1, sentinel, "web01", "root", "history -c", CommandCapture.Exec,
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
}
