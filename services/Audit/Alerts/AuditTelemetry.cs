using System.Diagnostics.Metrics;

namespace Gatehouse.Audit.Alerts;

/// <summary>The Audit service's own metrics, on the "Gatehouse.Audit" meter.</summary>
public static class AuditTelemetry
{
    public const string MeterName = "Gatehouse.Audit";

    private static readonly Meter Meter = new(MeterName);

    public static readonly Counter<long> AlertsRaised = Meter.CreateCounter<long>("gatehouse.audit.alerts_raised", description: "Alerts raised, by rule");
    public static readonly Counter<long> PagesDelivered = Meter.CreateCounter<long>("gatehouse.audit.pages_delivered", description: "Alert pages a webhook accepted");
    public static readonly Counter<long> PageAttemptsFailed = Meter.CreateCounter<long>("gatehouse.audit.page_attempts_failed", description: "Webhook calls that failed (each retry counts)");
    public static readonly Counter<long> PagesFailed = Meter.CreateCounter<long>("gatehouse.audit.pages_failed", description: "Alert pages given up after every retry");
}
