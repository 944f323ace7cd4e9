using Gatehouse.Contracts.Alerts;
using JasperFx.Events.Daemon;
using JasperFx.Events.Projections;
using Marten;
using Marten.Subscriptions;
using MassTransit;

namespace Gatehouse.Audit.Alerts;

/// <summary>
/// Publishes every new <see cref="AlertRaised"/> on the bus from the event store (the outbox pattern the other
/// services use for access events), with its event id as the message id; progress is kept only after publishing.
/// </summary>
public sealed class AlertPublisher : SubscriptionBase
{
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(5);
    private readonly IBus _bus;
    private readonly ILogger<AlertPublisher> _logger;

    public AlertPublisher(IBus bus, ILogger<AlertPublisher> logger)
    {
        _bus = bus;
        _logger = logger;
        Name = "AlertPublisher";
        IncludeType<AlertRaised>();
    }

    public override async Task<IChangeListener> ProcessEventsAsync(EventRange page, ISubscriptionController controller,
        IDocumentOperations operations, CancellationToken cancellationToken)
    {
        var alerts = page.Events.Select(e => e.Data).OfType<AlertRaised>().ToList();
        var backoff = TimeSpan.FromMilliseconds(200);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await Task.WhenAll(alerts.Select(alert => _bus.Publish(alert, context => context.MessageId = alert.EventId, cancellationToken)));
                return NullChangeListener.Instance;
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                _logger.LogWarning(ex, "Could not publish {Count} alerts to the bus, attempt {Attempt}; retrying in {Backoff}", alerts.Count, attempt, backoff);
                await Task.Delay(backoff, cancellationToken);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
            }
        }
    }
}
