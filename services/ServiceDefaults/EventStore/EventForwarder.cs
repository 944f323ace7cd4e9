using System.Diagnostics;
using Gatehouse.Contracts;
using Gatehouse.ServiceDefaults.Telemetry;
using JasperFx.Events;
using JasperFx.Events.Daemon;
using JasperFx.Events.Projections;
using Marten;
using Marten.Subscriptions;
using MassTransit;
using Microsoft.Extensions.Logging;

namespace Gatehouse.ServiceDefaults.EventStore;

/// <summary>
/// The event store is the outbox: a subscription that publishes every newly appended event of the given types to the
/// bus, with the event id as the message id. Marten records progress only after a page is published, so a bus outage
/// delays events and never loses them; a crash after publishing redelivers, and consumers deduplicate.
/// </summary>
/// <param name="name">Marten keeps the subscription's progress under this name: renaming it republishes everything.</param>
public abstract class EventForwarder : SubscriptionBase
{
    private static readonly TimeSpan PublishTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(5);

    private readonly IBus _bus;
    private readonly ILogger _logger;
    private readonly HashSet<Type> _types;

    protected EventForwarder(IBus bus, ILogger logger, string name, IEnumerable<Type> types)
    {
        _bus = bus;
        _logger = logger;
        _types = types.ToHashSet();
        Name = name;
        Options.BatchSize = 500;
        foreach (var type in _types)
        {
            IncludeType(type);
        }
    }

    public override async Task<IChangeListener> ProcessEventsAsync(EventRange page, ISubscriptionController controller,
        IDocumentOperations operations, CancellationToken cancellationToken)
    {
        var forwarded = page.Events.Where(e => _types.Contains(e.EventType)).ToList();
        var backoff = TimeSpan.FromMilliseconds(200);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(PublishTimeout);
                await Task.WhenAll(forwarded.Select(e => PublishAsync(e, timeout.Token)));
                GatehouseTelemetry.EventsForwarded.Add(forwarded.Count);
                return NullChangeListener.Instance;
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                // Never give up on a page: skipping it would lose events. Retry until the bus is back.
                GatehouseTelemetry.ForwardingFailures.Add(1);
                _logger.LogWarning(ex,
                    "Could not publish {Count} events (sequence {Floor}-{Ceiling}) to the bus, attempt {Attempt}; retrying in {Backoff}",
                    forwarded.Count, page.SequenceFloor, page.SequenceCeiling, attempt, backoff);
                await Task.Delay(backoff, cancellationToken);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
            }
        }
    }

    /// <summary>The message id consumers deduplicate on: the stored event's id, which access events share with their own.</summary>
    protected virtual Guid MessageIdOf(IEvent stored) => stored.Id;

    private async Task PublishAsync(IEvent stored, CancellationToken cancellationToken)
    {
        using var activity = StartForwardingActivity(stored);
        await _bus.Publish(stored.Data, stored.EventType, context =>
        {
            context.MessageId = MessageIdOf(stored);
            if (Guid.TryParse(stored.CorrelationId, out var correlationId))
            {
                context.CorrelationId = correlationId;
            }
        }, cancellationToken);
    }

    private static Activity? StartForwardingActivity(IEvent stored)
    {
        // Continue the trace of whoever appended the event, so one trace spans append → bus → audit store.
        ActivityContext.TryParse(
            stored.Headers?.GetValueOrDefault(AccessEventAppending.TraceParentHeader)?.ToString(), null, out var parent);
        var activity = GatehouseTelemetry.ActivitySource.StartActivity(
            $"forward {stored.EventType.Name}", ActivityKind.Producer, parent);
        activity?.SetTag("gatehouse.event_id", stored.Id);
        activity?.SetTag("gatehouse.event_sequence", stored.Sequence);
        return activity;
    }
}

/// <summary>Publishes every access event a service appends (<see cref="AccessEventTypes"/>).</summary>
public sealed class AccessEventForwarder(IBus bus, ILogger<AccessEventForwarder> logger)
    : EventForwarder(bus, logger, "AccessEventForwarder", AccessEventTypes.All);
