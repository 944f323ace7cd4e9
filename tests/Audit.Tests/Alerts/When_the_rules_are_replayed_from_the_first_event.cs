using System.Net.Http.Json;
using Gatehouse.Audit.Alerts;
using Gatehouse.Audit.Detection;
using Gatehouse.Audit.Tests.EventPipeline;
using Gatehouse.Contracts;
using Gatehouse.TestSupport;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Gatehouse.Audit.Tests.Alerts;

/// <summary>
/// An Audit service on a store of its own, restarted after the rules' progress and memory were lost (a crash before
/// either was saved, an operator rebuilding detection): the rules see every stored event again.
/// </summary>
[Collection(AnAuditStoreFedByAProducerCollection.Name)]
public sealed class When_the_rules_are_replayed_from_the_first_event
{
    private static LoginFailed Failed(string user) =>
        new(user, "password", LoginFailureReason.WrongPassword, null, user, "10.7.0.1", Guid.NewGuid().ToString(), Guid.CreateVersion7(), DateTimeOffset.UtcNow);

    private static async Task<IReadOnlyList<AlertView>> WaitForAlertsAsync(WebApplicationFactory<Program> audit, string user)
    {
        using var client = audit.Analyst();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var alerts = (await client.GetFromJsonAsync<IReadOnlyList<AlertView>>($"/api/audit/alerts?user={user}", AuditService.Json))!;
            if (alerts.Count > 0 || DateTime.UtcNow > deadline)
            {
                return alerts;
            }

            await Task.Delay(200);
        }
    }

    [Fact]
    public async Task Should_raise_no_alert_twice_and_keep_detecting_when_replayed_from_the_first_event_without_their_memory()
    {
        var schema = Infrastructure.UniqueSchema("auditreplay");
        try
        {
            var first = NewUser("ulla");
            var audit = AuditService.Start(schema);
            await audit.RecordAsync(Enumerable.Range(0, 5).Select(_ => Failed(first)));
            var raised = Assert.Single(await WaitForAlertsAsync(audit, first));
            await audit.DisposeAsync();

            await Infrastructure.AsAdministratorAsync(schema, $"DELETE FROM {{schema}}.mt_doc_{nameof(DetectionCheckpoint).ToLowerInvariant()}");
            await Infrastructure.AsAdministratorAsync(schema, "UPDATE {schema}.mt_event_progression SET last_seq_id = 0 WHERE name LIKE 'AlertDetector%'");

            await using var restarted = AuditService.Start(schema);
            // A burst after the replayed ones: its alert shows the rules got past the alert they had already raised.
            var second = NewUser("vera");
            await restarted.RecordAsync(Enumerable.Range(0, 5).Select(_ => Failed(second)));
            Assert.Single(await WaitForAlertsAsync(restarted, second));

            Assert.Equal(raised.Id, Assert.Single(await WaitForAlertsAsync(restarted, first)).Id);
        }
        finally
        {
            await Infrastructure.DropSchemaAsync(schema);
        }
    }

    [Fact]
    public async Task Should_remember_who_may_reach_what_across_a_restart_and_still_fire_on_self_approval_through_a_role()
    {
        var schema = Infrastructure.UniqueSchema("auditroles");
        try
        {
            var (role, joiner, sentinel) = (NewUser("dba"), NewUser("wanda"), NewUser("sentinel"));
            var audit = AuditService.Start(schema);
            await audit.RecordAsync([
                new GrantIssued(Guid.NewGuid(), GrantSubjectKind.Role, role, ["db01"], new Dictionary<string, string>(), ["root"], [], null, [], null, false, false,
                    null, "root-admin", null, "g", Guid.CreateVersion7(), DateTimeOffset.UtcNow),
                new CommandExecuted(Guid.NewGuid(), 1, sentinel, "web01", "root", "rm -rf /", CommandCapture.Exec, sentinel, null, "c", Guid.CreateVersion7(),
                    DateTimeOffset.UtcNow),
            ]);
            // The sentinel's alert: the grant before it was judged and remembered, and the checkpoint saved with it.
            Assert.Single(await WaitForAlertsAsync(audit, sentinel));
            await audit.DisposeAsync();

            // Restarted, the rules' memory comes from the stored checkpoint, not from this process.
            await using var restarted = AuditService.Start(schema);
            await restarted.RecordAsync([new RoleMemberAdded(Guid.NewGuid(), role, joiner, joiner, null, "r", Guid.CreateVersion7(), DateTimeOffset.UtcNow)]);

            Assert.Equal(DetectionRules.SelfApproval, Assert.Single(await WaitForAlertsAsync(restarted, joiner)).Rule);
        }
        finally
        {
            await Infrastructure.DropSchemaAsync(schema);
        }
    }

    private static string NewUser(string name) => $"{name}-{Guid.NewGuid():N}"[..24];
}
