using System.Diagnostics;
using Gatehouse.Contracts;
using JasperFx.Events;
using Marten;

namespace Gatehouse.ServiceDefaults.EventStore;

public static class AccessEventAppending
{
    public const string TraceParentHeader = "traceparent";

    /// <summary>
    /// Appends an access event so that its Marten event id is its own <see cref="IAccessEvent.EventId"/>,
    /// and records the trace it belongs to (the current one unless <paramref name="traceParent"/> is given)
    /// so the bus forwarding continues it.
    /// </summary>
    public static IEvent AppendAccessEvent(this IDocumentSession session, Guid streamId, IAccessEvent accessEvent,
        string? traceParent = null)
    {
        var action = session.Events.Append(streamId, accessEvent);
        return Stamp(action.Events[^1], accessEvent, traceParent);
    }

    /// <summary>Starts a new stream with its first access event, stamped like <see cref="AppendAccessEvent"/>.</summary>
    public static IEvent StartStreamWithAccessEvent(this IDocumentSession session, Guid streamId, IAccessEvent accessEvent,
        string? traceParent = null)
    {
        var action = session.Events.StartStream(streamId, accessEvent);
        return Stamp(action.Events[^1], accessEvent, traceParent);
    }

    private static IEvent Stamp(IEvent appended, IAccessEvent accessEvent, string? traceParent)
    {
        appended.Id = accessEvent.EventId;
        appended.CorrelationId = accessEvent.CorrelationId;
        if ((traceParent ?? Activity.Current?.Id) is { } trace)
        {
            appended.SetHeader(TraceParentHeader, trace);
        }

        return appended;
    }
}
