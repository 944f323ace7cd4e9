using Gatehouse.Audit.Alerts;
using Gatehouse.Contracts.Alerts;

namespace Gatehouse.Audit.Tests.Alerts;

/// <summary>Acknowledging and resolving decided on the alert as stored, with no store.</summary>
public class When_an_analyst_acts_on_an_alert
{
    private static readonly DateTimeOffset Now = new(2026, 12, 5, 0, 30, 0, TimeSpan.Zero);
    private static readonly Guid AlertId = Guid.Parse("0193a1b2-0000-7000-8000-0000000000a1");

    private static AlertView Alert(AlertStatus status) => new() { Id = AlertId, Status = status };

    [Fact]
    public void Should_acknowledge_only_an_open_alert()
    {
        Assert.Equal([new AlertAcknowledged(AlertId, "looking", "ann", Now)], AlertDecisions.Acknowledge(Alert(AlertStatus.Open), "looking", "ann", Now).Events);

        var refused = AlertDecisions.Acknowledge(Alert(AlertStatus.Acknowledged), "looking", "ann", Now);
        Assert.Empty(refused.Events);
        Assert.Equal("The alert is acknowledged, not open", refused.Refusal);
    }

    [Theory]
    [InlineData(AlertStatus.Open)]
    [InlineData(AlertStatus.Acknowledged)]
    public void Should_resolve_an_alert_not_yet_resolved(AlertStatus status) =>
        Assert.Equal([new AlertResolved(AlertId, "false positive", "ann", Now)],
            AlertDecisions.Resolve(Alert(status), "false positive", "ann", Now).Events);

    [Fact]
    public void Should_refuse_resolving_a_resolved_alert_and_record_nothing()
    {
        var refused = AlertDecisions.Resolve(Alert(AlertStatus.Resolved), "again", "ann", Now);

        Assert.Empty(refused.Events);
        Assert.Equal("The alert is already resolved", refused.Refusal);
    }
}
