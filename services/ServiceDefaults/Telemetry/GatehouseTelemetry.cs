using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Gatehouse.ServiceDefaults.Telemetry;

/// <summary>The activity source and meter Gatehouse's own code reports through.</summary>
public static class GatehouseTelemetry
{
    public const string Name = "Gatehouse";

    public static readonly ActivitySource ActivitySource = new(Name);
    public static readonly Meter Meter = new(Name);

    public static readonly Counter<long> EventsForwarded =
        Meter.CreateCounter<long>("gatehouse.events.forwarded", description: "Access events published to the bus from the event store");

    public static readonly Counter<long> ForwardingFailures =
        Meter.CreateCounter<long>("gatehouse.events.forwarding_failures", description: "Attempts to publish a page of events that failed and will be retried");
}
