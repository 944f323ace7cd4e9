using Gatehouse.Contracts.Alerts;
using Gatehouse.ServiceDefaults.Settings;

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

public static class PagingSettingsRegistration
{
    /// <summary>Binds <c>Gatehouse:Audit:Paging</c>; a webhook that could never be paged stops the service at start.</summary>
    public static IServiceCollection AddPagingSettings(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSettings<PagingSettings>(configuration.GetSection(PagingSettings.Section), Problems);
        return services;
    }

    public static IReadOnlyList<string> Problems(PagingSettings settings)
    {
        var problems = new List<string>();
        const string section = PagingSettings.Section;
        if (settings.MaxAttempts is < 1 or > 100)
        {
            problems.Add($"{section}:MaxAttempts must be between 1 and 100");
        }

        if (settings.FirstRetryDelay <= TimeSpan.Zero || settings.MaxRetryDelay < settings.FirstRetryDelay)
        {
            problems.Add($"{section}:FirstRetryDelay must be positive and MaxRetryDelay not shorter");
        }

        if (settings.Timeout <= TimeSpan.Zero)
        {
            problems.Add($"{section}:Timeout must be positive");
        }

        problems.AddRange(WebhookAddresses.Problems(section, settings.Webhooks.Select(w => (w.Name, w.Url)).ToList()));
        for (var i = 0; i < settings.Webhooks.Count; i++)
        {
            var webhook = settings.Webhooks[i];
            var key = $"{section}:Webhooks:{i}";
            if (webhook.Format == WebhookFormat.PagerDuty && string.IsNullOrWhiteSpace(webhook.RoutingKey))
            {
                problems.Add($"{key}:RoutingKey is required for the PagerDuty format");
            }
        }

        return problems;
    }
}

/// <summary>The checks every list of webhooks shares: a name of its own and an http(s) address.</summary>
public static class WebhookAddresses
{
    public static IEnumerable<string> Problems(string section, IReadOnlyList<(string Name, Uri? Url)> webhooks)
    {
        for (var i = 0; i < webhooks.Count; i++)
        {
            var (name, url) = webhooks[i];
            var key = $"{section}:Webhooks:{i}";
            // Deliveries are recorded per webhook name, so a name used twice would be delivered to only once.
            if (string.IsNullOrWhiteSpace(name))
            {
                yield return $"{key}:Name is required";
            }
            else if (webhooks.Take(i).Any(w => w.Name == name))
            {
                yield return $"{key}:Name '{name}' is used by another webhook";
            }

            if (!IsHttp(url))
            {
                yield return $"{key}:Url must be an absolute http or https address";
            }
        }
    }

    public static bool IsHttp(Uri? url) => url is { IsAbsoluteUri: true } && (url.Scheme == Uri.UriSchemeHttps || url.Scheme == Uri.UriSchemeHttp);
}
