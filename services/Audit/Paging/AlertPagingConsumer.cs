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
public sealed class AlertPagingConsumer(Deliveries deliveries, IOptionsMonitor<PagingSettings> settings, IDocumentStore store,
    TimeProvider clock) : IConsumer<AlertRaised>
{
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
        var outcome = await deliveries.PostJsonAsync($"paging alert {alert.AlertId}", new DeliveryChannel("webhook", webhook.Name), webhook.Url!,
            AlertPageBodies.For(webhook, alert), current, cancellationToken);
        return new AlertPaged(alert.AlertId, webhook.Name, outcome.Delivered, outcome.Attempts, outcome.StatusCode, outcome.Error, clock.GetUtcNow());
    }
}

public sealed class AlertPagingConsumerDefinition : ConsumerDefinition<AlertPagingConsumer>
{
    public AlertPagingConsumerDefinition()
    {
        EndpointName = "audit-alert-paging";
    }
}
