using Gatehouse.Contracts.Alerts;
using Gatehouse.ServiceDefaults.EventStore;
using JasperFx.Events;
using MassTransit;

namespace Gatehouse.Audit.Alerts;

/// <summary>
/// Publishes every new <see cref="AlertRaised"/> on the bus from the event store, as the other services publish their
/// access events (the Audit service records those it receives, and must not publish them again).
/// </summary>
public sealed class AlertPublisher(IBus bus, ILogger<AlertPublisher> logger)
    : EventForwarder(bus, logger, "AlertPublisher", [typeof(AlertRaised)])
{
    // An alert's id is derived from what raised it (so replays raise the same one); the stored event's id is not.
    protected override Guid MessageIdOf(IEvent stored) => ((AlertRaised)stored.Data).EventId;
}
