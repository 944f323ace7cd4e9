using System.Text.Json.Nodes;
using Gatehouse.Contracts.Alerts;

namespace Gatehouse.Audit.Paging;

/// <summary>The JSON a webhook receives for an alert.</summary>
public static class AlertPageBodies
{
    public static JsonObject For(WebhookSettings webhook, AlertRaised alert) => webhook.Format switch
    {
        WebhookFormat.PagerDuty => PagerDuty(webhook, alert),
        _ => Generic(alert),
    };

    public static JsonObject Generic(AlertRaised alert) => new()
    {
        ["alertId"] = alert.AlertId,
        ["rule"] = alert.Rule,
        ["severity"] = alert.Severity.ToString().ToLowerInvariant(),
        ["title"] = alert.Title,
        ["deduplicationKey"] = alert.DeduplicationKey,
        ["userName"] = alert.UserName,
        ["target"] = alert.Target,
        ["sourceAddress"] = alert.SourceAddress,
        ["triggeringEventIds"] = new JsonArray(alert.TriggeringEventIds.Select(id => (JsonNode)id.ToString()).ToArray()),
        ["raisedAt"] = alert.RaisedAt,
    };

    /// <summary>PagerDuty Events API v2: severity is one of critical, error, warning, info.</summary>
    public static JsonObject PagerDuty(WebhookSettings webhook, AlertRaised alert) => new()
    {
        ["routing_key"] = webhook.RoutingKey,
        ["event_action"] = "trigger",
        ["dedup_key"] = alert.DeduplicationKey,
        ["payload"] = new JsonObject
        {
            ["summary"] = alert.Title.Length <= 1024 ? alert.Title : alert.Title[..1024],
            ["source"] = alert.Target ?? alert.SourceAddress ?? "gatehouse",
            ["severity"] = alert.Severity switch
            {
                AlertSeverity.Critical => "critical",
                AlertSeverity.High => "error",
                AlertSeverity.Medium => "warning",
                _ => "info",
            },
            ["timestamp"] = alert.RaisedAt,
            ["component"] = "gatehouse",
            ["class"] = alert.Rule,
            ["custom_details"] = Generic(alert),
        },
    };
}
