using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Gatehouse.Audit.Alerts;
using Gatehouse.ServiceDefaults.Telemetry;

namespace Gatehouse.Audit.Paging;

/// <summary>What one channel (a webhook, the mail server) finally answered, after the retries.</summary>
public sealed record DeliveryOutcome(bool Delivered, int Attempts, int? StatusCode, string? Error);

/// <summary>Where something is sent: a kind ("webhook", "e-mail") and the operator's name for it, which metrics and logs carry.</summary>
public sealed record DeliveryChannel(string Kind, string Name)
{
    public override string ToString() => $"{Kind} {Name}";

    /// <summary>The metric tag: the webhook's (or mail channel's) name under its kind.</summary>
    public KeyValuePair<string, object?> Tag => new(Kind, Name);
}

/// <summary>One attempt's answer: null error means it was accepted.</summary>
public sealed record AttemptResult(int? StatusCode, string? Error);

/// <summary>
/// Sends to a channel with the paging retries (exponential backoff, bounded attempts), for alert pages and access-request
/// notices alike. Failures are logged with the channel's name and the error, never its address or credentials (a Slack
/// webhook's address is its secret).
/// </summary>
public sealed class Deliveries(IHttpClientFactory http, TimeProvider clock, ILogger<Deliveries> logger)
{
    public const string HttpClientName = "alert-paging";

    /// <summary>
    /// The HTTP client without the factory's request logging, which writes each request's full address at Information,
    /// and traced without the address's path and query: a Slack or PagerDuty webhook's address is its credential.
    /// </summary>
    public static IServiceCollection AddDeliveries(IServiceCollection services)
    {
        services.AddHttpClient(HttpClientName).RemoveAllLoggers().HideAddressesInTraces();
        services.AddSingleton<Deliveries>();
        return services;
    }

    /// <summary>POSTs <paramref name="body"/> as JSON to <paramref name="url"/>; any 2xx answer is delivery.</summary>
    public Task<DeliveryOutcome> PostJsonAsync(string what, DeliveryChannel channel, Uri url, JsonObject body, PagingSettings retries,
        CancellationToken cancellationToken) =>
        DeliverAsync(what, channel, retries, async attemptCancellation =>
        {
            using var client = http.CreateClient(HttpClientName);
            client.Timeout = retries.Timeout;
            using var response = await client.PostAsJsonAsync(url, body, attemptCancellation);
            var status = (int)response.StatusCode;
            return new AttemptResult(status, response.IsSuccessStatusCode ? null : $"HTTP {status}");
        }, cancellationToken);

    /// <summary>
    /// Runs <paramref name="attempt"/> until it succeeds or <see cref="PagingSettings.MaxAttempts"/> are spent. An attempt
    /// that throws counts as failed with the exception's message; the caller's cancellation stops the loop.
    /// </summary>
    /// <param name="what">What is sent, for the log: "paging alert 1234", "notice of AccessRequested 5678".</param>
    public async Task<DeliveryOutcome> DeliverAsync(string what, DeliveryChannel channel, PagingSettings retries,
        Func<CancellationToken, Task<AttemptResult>> attempt, CancellationToken cancellationToken)
    {
        var delay = retries.FirstRetryDelay;
        AttemptResult last = new(null, null);
        for (var number = 1; number <= retries.MaxAttempts; number++)
        {
            try
            {
                last = await attempt(cancellationToken);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested && ex is not OutOfMemoryException)
            {
                last = new AttemptResult(null, $"{ex.GetType().Name}: {ex.Message}");
            }

            if (last.Error is null)
            {
                AuditTelemetry.PagesDelivered.Add(1, channel.Tag);
                return new DeliveryOutcome(true, number, last.StatusCode, null);
            }

            AuditTelemetry.PageAttemptsFailed.Add(1, channel.Tag);
            logger.LogWarning("{What} to {Channel} failed on attempt {Attempt} of {MaxAttempts}: {Error}",
                char.ToUpperInvariant(what[0]) + what[1..], channel, number, retries.MaxAttempts, last.Error);
            if (number < retries.MaxAttempts)
            {
                await Task.Delay(delay, clock, cancellationToken);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, retries.MaxRetryDelay.Ticks));
            }
        }

        AuditTelemetry.PagesFailed.Add(1, channel.Tag);
        logger.LogError("Gave up {What} to {Channel} after {Attempts} attempts: {Error}", what, channel, retries.MaxAttempts, last.Error);
        return new DeliveryOutcome(false, retries.MaxAttempts, last.StatusCode, last.Error);
    }
}
