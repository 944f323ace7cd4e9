using System.Net.Http.Json;
using Gatehouse.Audit.Alerts;
using Gatehouse.Contracts.Alerts;
using Marten;
using MassTransit;
using Microsoft.Extensions.Options;

namespace Gatehouse.Audit.Paging;

/// <summary>
/// Pages each raised alert to the webhooks configured for its severity, retrying with exponential backoff, and
/// records each webhook's outcome on the alert's stream. Audit instances compete on one queue, so an alert is paged
/// once; a page already recorded for a webhook is not sent again when the message is redelivered.
/// </summary>
public sealed class AlertPagingConsumer(IHttpClientFactory http, IOptionsMonitor<PagingSettings> settings, IDocumentStore store,
    TimeProvider clock, ILogger<AlertPagingConsumer> logger) : IConsumer<AlertRaised>
{
    public const string HttpClientName = "alert-paging";

    public async Task Consume(ConsumeContext<AlertRaised> context)
    {
        var alert = context.Message;
        var current = settings.CurrentValue;
        await using var query = store.QuerySession();
        var alreadyPaged = (await query.LoadAsync<AlertView>(alert.AlertId, context.CancellationToken))?.Pages.Select(p => p.Webhook).ToHashSet() ?? [];
        foreach (var webhook in current.Webhooks.Where(w => w.Url is not null && (w.Severities.Count == 0 || w.Severities.Contains(alert.Severity))))
        {
            if (alreadyPaged.Contains(webhook.Name))
            {
                continue;
            }

            var outcome = await DeliverAsync(webhook, alert, current, context.CancellationToken);
            await using var session = store.LightweightSession();
            session.Events.Append(alert.AlertId, outcome);
            await session.SaveChangesAsync(context.CancellationToken);
        }
    }

    private async Task<AlertPaged> DeliverAsync(WebhookSettings webhook, AlertRaised alert, PagingSettings current, CancellationToken cancellationToken)
    {
        var body = AlertPageBodies.For(webhook, alert);
        var delay = current.FirstRetryDelay;
        int? status = null;
        string? error = null;
        for (var attempt = 1; attempt <= current.MaxAttempts; attempt++)
        {
            try
            {
                using var client = http.CreateClient(HttpClientName);
                client.Timeout = current.Timeout;
                using var response = await client.PostAsJsonAsync(webhook.Url, body, cancellationToken);
                status = (int)response.StatusCode;
                if (response.IsSuccessStatusCode)
                {
                    AuditTelemetry.PagesDelivered.Add(1, new KeyValuePair<string, object?>("webhook", webhook.Name));
                    return new AlertPaged(alert.AlertId, webhook.Name, true, attempt, status, null, clock.GetUtcNow());
                }

                error = $"HTTP {status}";
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                status = null;
                error = ex.Message;
            }

            AuditTelemetry.PageAttemptsFailed.Add(1, new KeyValuePair<string, object?>("webhook", webhook.Name));
            logger.LogWarning("Paging alert {AlertId} to webhook {Webhook} failed on attempt {Attempt} of {MaxAttempts}: {Error}",
                alert.AlertId, webhook.Name, attempt, current.MaxAttempts, error);
            if (attempt < current.MaxAttempts)
            {
                await Task.Delay(delay, clock, cancellationToken);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, current.MaxRetryDelay.Ticks));
            }
        }

        AuditTelemetry.PagesFailed.Add(1, new KeyValuePair<string, object?>("webhook", webhook.Name));
        logger.LogError("Gave up paging alert {AlertId} to webhook {Webhook} after {Attempts} attempts: {Error}",
            alert.AlertId, webhook.Name, current.MaxAttempts, error);
        return new AlertPaged(alert.AlertId, webhook.Name, false, current.MaxAttempts, status, error, clock.GetUtcNow());
    }
}

public sealed class AlertPagingConsumerDefinition : ConsumerDefinition<AlertPagingConsumer>
{
    public AlertPagingConsumerDefinition()
    {
        EndpointName = "audit-alert-paging";
    }
}
