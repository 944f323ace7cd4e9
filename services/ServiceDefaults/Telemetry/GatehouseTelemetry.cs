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

    public static readonly Counter<long> ApiTokensRefused =
        Meter.CreateCounter<long>("gatehouse.api_tokens.refused", description: "API tokens with a good signature refused because their user was disabled, deleted or lost a role, or could not be checked");
}
