using System.Net.Http.Json;
using Gatehouse.Audit.Alerts;
using Gatehouse.Audit.Detection;
using Gatehouse.Audit.Tests.EventPipeline;
using Gatehouse.Contracts;
using MassTransit;

namespace Gatehouse.Audit.Tests.Alerts;

/// <summary>
/// What an attacker types, and attempts the product stopped, appended in a producing service and judged by the real
/// Audit service: two variants of each command class fire, a near miss stays quiet, a blocked command and a refused
/// self-approval alert, and so does access given to oneself through a role.
/// </summary>
[Collection(AnAuditStoreFedByAProducerCollection.Name)]
public sealed class When_attacks_run_through_the_pipeline(AnAuditStoreFedByAProducer pipeline)
{
    private static string NewUser(string name) => $"{name}-{Guid.NewGuid():N}"[..22];

    private static readonly string Scenario = Guid.NewGuid().ToString();

    private static CommandExecuted Command(string user, string line) =>
        new(Guid.NewGuid(), 1, user, "web01", "root", line, CommandCapture.InteractiveLine, user, "10.6.0.1", Scenario, Guid.CreateVersion7(),
            DateTimeOffset.UtcNow);

    private static CommandBlocked Blocked(string user, string line) =>
        new(Guid.NewGuid(), 1, user, "web01", "root", line, line, Guid.NewGuid(), "no-disk-writes", CommandPolicyAction.Deny,
            CommandCapture.InteractiveLine, user, "10.6.0.2", Scenario, Guid.CreateVersion7(), DateTimeOffset.UtcNow);

    // (rule, line, fires)
    private static readonly (string Rule, string Line, bool Fires)[] Lines =
    [
        (DetectionRules.PrivilegeEscalation, "sudo --login", true),
        (DetectionRules.PrivilegeEscalation, "sudo -u root /bin/sh", true),
        (DetectionRules.PrivilegeEscalation, "echo \"sudo -i\"", false),
        (DetectionRules.DestructiveCommand, "find / -delete", true),
        (DetectionRules.DestructiveCommand, "rm -r --no-preserve-root -f /", true),
        (DetectionRules.DestructiveCommand, "man rm", false),
        (DetectionRules.AntiForensic, "export HISTFILE=/dev/null", true),
        (DetectionRules.AntiForensic, "kill -9 $(pidof auditd)", true),
        (DetectionRules.AntiForensic, "grep history -c notes.txt", false),
    ];

    [Fact]
    public async Task Should_alert_on_attacker_variants_and_stopped_attempts_and_stay_quiet_on_near_misses()
    {
        var commands = Lines.Select(l => (l.Rule, l.Line, l.Fires, User: NewUser("cmd"))).ToList();
        var blocker = NewUser("blocked");
        var requester = NewUser("selfie");
        var joiner = NewUser("joiner");
        var bystander = NewUser("bystander");
        var role = NewUser("dba");

        // The grant to the role is stored first: joining it is judged against what the role held before.
        IAccessEvent grant = new GrantIssued(Guid.NewGuid(), GrantSubjectKind.Role, role, ["db01"], new Dictionary<string, string>(), ["root"], [], null, [],
            null, false, false, null, "root-admin", "10.6.0.3", Scenario, Guid.CreateVersion7(), DateTimeOffset.UtcNow);
        await pipeline.Producer.AppendAsync([grant]);
        await pipeline.WaitForEventsAsync(Scenario, 1);

        var events = new List<IAccessEvent>();
        events.AddRange(commands.Select(c => Command(c.User, c.Line)));
        events.Add(Blocked(blocker, "dd if=/dev/zero of=/dev/sda bs=1M"));
        events.Add(new AccessRequestApprovalRefused(Guid.NewGuid(), requester, "db01", "root", ApprovalRefusalReason.OwnRequest,
            "You cannot approve your own access request; another approver must", requester, "10.6.0.4", Scenario, Guid.CreateVersion7(), DateTimeOffset.UtcNow));
        events.Add(new RoleMemberAdded(Guid.NewGuid(), role, joiner, joiner, "10.6.0.5", Scenario, Guid.CreateVersion7(), DateTimeOffset.UtcNow));
        events.Add(new RoleMemberAdded(Guid.NewGuid(), role, bystander, "root-admin", "10.6.0.5", Scenario, Guid.CreateVersion7(), DateTimeOffset.UtcNow));
        await pipeline.Producer.AppendAsync(events);
        Assert.Equal(events.Count + 1, (await pipeline.WaitForEventsAsync(Scenario, events.Count + 1)).Count);

        // Every event above is stored before the sentinel, so once its alert exists, all were judged.
        var sentinel = NewUser("sentinel");
        await pipeline.Producer.AppendAsync([Command(sentinel, "rm -rf /") with { CorrelationId = Guid.NewGuid().ToString() }]);
        await WaitForAlertsAsync(sentinel);

        var failures = new List<string>();
        foreach (var (rule, line, fires, user) in commands)
        {
            var alerts = await AlertsAsync(user);
            if (fires != alerts.Any(a => a.Rule == rule) || alerts.Count > (fires ? 1 : 0))
            {
                failures.Add($"{line}: expected {(fires ? rule : "nothing")}, raised [{string.Join(", ", alerts.Select(a => a.Rule))}]");
            }
        }

        var blocked = Assert.Single(await AlertsAsync(blocker));
        Assert.Equal(DetectionRules.DestructiveCommand, blocked.Rule);
        Assert.Contains("blocked by policy no-disk-writes", blocked.Title);
        Assert.Equal(DetectionRules.SelfApproval, Assert.Single(await AlertsAsync(requester)).Rule);
        var joined = Assert.Single(await AlertsAsync(joiner));
        Assert.Equal(DetectionRules.SelfApproval, joined.Rule);
        Assert.Contains($"added themselves to role {role}", joined.Title);
        Assert.Empty(await AlertsAsync(bystander));
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public async Task Should_raise_each_new_alert_once_with_two_audit_instances_and_events_delivered_again()
    {
        await using var second = pipeline.StartAnotherAudit();
        var (blocker, joiner, role) = (NewUser("blocked2"), NewUser("joiner2"), NewUser("dba2"));
        var correlationId = Guid.NewGuid().ToString();
        var grant = new GrantIssued(Guid.NewGuid(), GrantSubjectKind.Role, role, ["db01"], new Dictionary<string, string>(), ["root"], [], null, [],
            null, false, false, null, "root-admin", null, correlationId, Guid.CreateVersion7(), DateTimeOffset.UtcNow);
        await pipeline.Producer.AppendAsync([grant]);
        await pipeline.WaitForEventsAsync(correlationId, 1);
        var blocked = Blocked(blocker, "rm -rf --no-preserve-root /") with { CorrelationId = correlationId };
        var joined = new RoleMemberAdded(Guid.NewGuid(), role, joiner, joiner, null, correlationId, Guid.CreateVersion7(), DateTimeOffset.UtcNow);
        await pipeline.Producer.AppendAsync([blocked, joined]);
        await pipeline.WaitForEventsAsync(correlationId, 3);
        // Each delivered again, as the bus may after a lost acknowledgement.
        await pipeline.Producer.Bus.Publish(grant, context => context.MessageId = grant.EventId);
        await pipeline.Producer.Bus.Publish(blocked, context => context.MessageId = blocked.EventId);
        await pipeline.Producer.Bus.Publish(joined, context => context.MessageId = joined.EventId);

        var sentinel = NewUser("sentinel");
        await pipeline.Producer.AppendAsync([Command(sentinel, "rm -rf /") with { CorrelationId = Guid.NewGuid().ToString() }]);
        await WaitForAlertsAsync(sentinel);

        Assert.Equal(DetectionRules.DestructiveCommand, Assert.Single(await AlertsAsync(blocker)).Rule);
        Assert.Equal(DetectionRules.SelfApproval, Assert.Single(await AlertsAsync(joiner)).Rule);
    }

    [Fact]
    public async Task Should_alert_on_an_admin_giving_themselves_the_approver_role_and_approving_with_it_and_not_on_roles_set_by_another()
    {
        var (rogue, trusted, requester) = (NewUser("rogue"), NewUser("trusted"), NewUser("requester"));
        var correlationId = Guid.NewGuid().ToString();
        IAccessEvent Roles(string user, string actor, params string[] roles) =>
            new UserRolesChanged(Guid.NewGuid(), user, roles, actor, "10.6.0.7", correlationId, Guid.CreateVersion7(), DateTimeOffset.UtcNow);
        IAccessEvent Approved(string approver) => new AccessRequestApproved(Guid.NewGuid(), requester, "db01", "root", Guid.NewGuid(),
            DateTimeOffset.UtcNow.AddHours(1), approver, "10.6.0.8", correlationId, Guid.CreateVersion7(), DateTimeOffset.UtcNow);
        IAccessEvent[] history =
        [
            new UserCreated(Guid.NewGuid(), rogue, ["admin"], "root-admin", null, correlationId, Guid.CreateVersion7(), DateTimeOffset.UtcNow),
            new UserCreated(Guid.NewGuid(), trusted, ["admin"], "root-admin", null, correlationId, Guid.CreateVersion7(), DateTimeOffset.UtcNow),
        ];
        await pipeline.Producer.AppendAsync(history);
        await pipeline.WaitForEventsAsync(correlationId, history.Length);
        IAccessEvent[] then = [Roles(rogue, rogue, "admin", "approver"), Roles(trusted, "root-admin", "admin", "approver")];
        await pipeline.Producer.AppendAsync(then);
        await pipeline.WaitForEventsAsync(correlationId, history.Length + then.Length);
        await pipeline.Producer.AppendAsync([Approved(rogue), Approved(trusted)]);
        await pipeline.WaitForEventsAsync(correlationId, history.Length + then.Length + 2);

        var sentinel = NewUser("sentinel");
        await pipeline.Producer.AppendAsync([Command(sentinel, "rm -rf /") with { CorrelationId = Guid.NewGuid().ToString() }]);
        await WaitForAlertsAsync(sentinel);

        Assert.Equal([$"{rogue} approved {requester}'s access request to db01 with the approver role they gave themselves", $"{rogue} gave themselves the API role approver"],
            (await AlertsAsync(rogue)).Where(a => a.Rule == DetectionRules.SelfApproval).Select(a => a.Title).Order());
        Assert.Empty(await AlertsAsync(trusted));
    }

    private async Task<IReadOnlyList<AlertView>> AlertsAsync(string user)
    {
        using var client = pipeline.Audit.Analyst();
        return (await client.GetFromJsonAsync<IReadOnlyList<AlertView>>($"/api/audit/alerts?user={user}", AuditService.Json))!;
    }

    private async Task WaitForAlertsAsync(string user)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while ((await AlertsAsync(user)).Count == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
        }
    }
}
