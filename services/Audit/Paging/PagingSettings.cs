using Gatehouse.Contracts.Alerts;

namespace Gatehouse.Audit.Paging;

public enum WebhookFormat
{
    /// <summary>The alert as JSON, as published on the bus.</summary>
    Generic,

    /// <summary>A PagerDuty Events API v2 "trigger" event.</summary>
    PagerDuty,
}

/// <summary>Where alerts are paged, from <c>Gatehouse:Audit:Paging</c>.</summary>
public sealed class PagingSettings
{
    public const string Section = "Gatehouse:Audit:Paging";

    public List<WebhookSettings> Webhooks { get; set; } = [];

    /// <summary>Calls per webhook before the page is given up (and recorded as failed).</summary>
    public int MaxAttempts { get; set; } = 5;

    /// <summary>Wait before the second attempt; it doubles for each one after, up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);
}

public sealed class WebhookSettings
{
    public string Name { get; set; } = "";
    public Uri? Url { get; set; }
    public WebhookFormat Format { get; set; } = WebhookFormat.Generic;

    /// <summary>The PagerDuty integration key (from the environment, never appsettings).</summary>
    public string? RoutingKey { get; set; }

    /// <summary>The severities paged to this webhook; empty means all.</summary>
    public List<AlertSeverity> Severities { get; set; } = [];
}
