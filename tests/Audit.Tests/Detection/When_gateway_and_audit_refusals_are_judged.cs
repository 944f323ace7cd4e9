using Gatehouse.Audit.Detection;
using Gatehouse.Contracts;
using Gatehouse.Contracts.Alerts;

namespace Gatehouse.Audit.Tests.Detection;

/// <summary>The refused-admin-change rule sees the SessionBroker's and the Audit service's refusals as it sees Authorization's.</summary>
public sealed class When_gateway_and_audit_refusals_are_judged
{
    private static readonly DateTimeOffset Noon = new(2026, 3, 3, 12, 0, 0, TimeSpan.Zero);

    private static List<AlertRaised> Run(params IAccessEvent[] events)
    {
        var (state, alerts, settings) = (DetectionState.Empty, new List<AlertRaised>(), new DetectionSettings());
        foreach (var accessEvent in events)
        {
            var (next, raised) = DetectionRules.Evaluate(state, state.LastSequence + 1, accessEvent, settings);
            state = next;
            alerts.AddRange(raised);
        }

        return alerts;
    }

    [Fact]
    public void A_vault_write_without_the_admin_role_fires_at_once()
    {
        var alert = Assert.Single(Run(new GatewayChangeRefused("PUT /api/vault/{target}/{login}", "target=web01, login=root", ChangeRefusalReason.Forbidden,
            ["soc-analyst"], "eve", "10.0.0.1", "c", Guid.NewGuid(), Noon)));

        Assert.Equal((DetectionRules.RefusedAdminChange, "eve"), (alert.Rule, alert.UserName));
        Assert.Equal("eve tried an administrative change without the admin role, refused: PUT /api/vault/{target}/{login} (target=web01, login=root); "
            + "their token carries soc-analyst", alert.Title);
    }

    [Fact]
    public void Five_unknown_ids_probed_within_ten_minutes_fire_across_the_gateway_and_the_audit_service()
    {
        var probes = Enumerable.Range(0, 5).Select(i => i % 2 == 0
            ? (IAccessEvent)new GatewayChangeRefused("POST /api/sessions/{sessionId:guid}/terminate", $"sessionId={Guid.NewGuid()}",
                ChangeRefusalReason.NotFound, ["soc-analyst"], "mallory", "10.0.0.1", "c", Guid.NewGuid(), Noon.AddMinutes(i))
            : new AuditChangeRefused("POST /api/audit/alerts/{id:guid}/resolve", $"id={Guid.NewGuid()}", ChangeRefusalReason.NotFound, ["soc-analyst"],
                "mallory", "10.0.0.1", "c", Guid.NewGuid(), Noon.AddMinutes(i))).ToArray();

        Assert.Empty(Run(probes[..4]));
        Assert.Equal("5 administrative changes by mallory refused within 10 min", Assert.Single(Run(probes)).Title);
    }
}
