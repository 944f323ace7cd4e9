using System.Diagnostics;

namespace Gatehouse.ServiceDefaults.EventStore;

/// <summary>
/// The one format of an event's correlation id: a GUID in its canonical dashed form, which is how MassTransit writes
/// the envelope's correlationId, so a subscriber joins the two without normalising.
/// </summary>
public static class CorrelationIds
{
    public static string Of(Guid id) => id.ToString("D");

    /// <summary>
    /// The correlation id of the events an HTTP request causes: the trace it runs in (the same 32 hex digits, dashed),
    /// so the events and the request's trace are found from one another; a new id when nothing traces it.
    /// </summary>
    public static string OfCurrentTrace() =>
        Of(Activity.Current is { } activity ? Guid.ParseExact(activity.TraceId.ToHexString(), "N") : Guid.NewGuid());

    /// <summary>A stored correlation id in the one format, whichever way it was written (see <see cref="Spellings"/>).</summary>
    public static string Canonical(string correlationId) => Guid.TryParse(correlationId, out var id) ? Of(id) : correlationId;

    /// <summary>
    /// Every way one correlation id has been written: the canonical form and, for stored events from before it was
    /// the only one, the same GUID without dashes. An id that is not a GUID is only itself.
    /// </summary>
    public static IReadOnlyList<string> Spellings(string correlationId) =>
        Guid.TryParse(correlationId, out var id) ? [id.ToString("D"), id.ToString("N")] : [correlationId];
}
