using Marten;
using Microsoft.Extensions.DependencyInjection;

namespace Gatehouse.TestSupport;

/// <summary>
/// What a service's event store holds, counted by event type, leaving out the events that record a request rather than
/// a change it made (a refused change, a read of the audit trail) and what the service appends by itself. Taken before
/// and after hostile input, it proves the input changed nothing: two are equal when every count is.
/// </summary>
/// <param name="Counts">Each event type's count, "type=count", by type name.</param>
/// <param name="Total">All the events counted.</param>
public sealed record StoredData(string Counts, long Total)
{
    /// <param name="service">The service's host: its event store names the schema and the stored names of the types.</param>
    /// <param name="notData">The event types left out.</param>
    public static async Task<StoredData> InAsync(IServiceProvider service, params Type[] notData)
    {
        var events = service.GetRequiredService<IDocumentStore>().Options.Events;
        var known = events.AllKnownEventTypes().ToDictionary(t => t.EventType, t => t.EventTypeName);
        // A type the store does not know would leave nothing out and let the test pass for the wrong reason.
        var leftOut = notData.Select(type => known.TryGetValue(type, out var name)
            ? name
            : throw new ArgumentException($"{type.Name} is not an event type of this service's store", nameof(notData))).ToHashSet();
        var counts = (await Infrastructure.EventCountsAsync(events.DatabaseSchemaName))
            .Where(c => !leftOut.Contains(c.Key))
            .OrderBy(c => c.Key, StringComparer.Ordinal)
            .ToList();
        return new StoredData(string.Join(", ", counts.Select(c => $"{c.Key}={c.Value}")), counts.Sum(c => c.Value));
    }
}
