using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Serialization;
using Gatehouse.Contracts;
using Gatehouse.ServiceDefaults.EventStore;
using JasperFx.Events;
using JasperFx.Events.Projections;
using Marten;
using Marten.Events.Projections;

namespace Gatehouse.Audit.AuditTrail;

/// <summary>Writes the <see cref="AuditEntry"/> for each stored event in the same transaction (inline).</summary>
public sealed class AuditEntryProjection : IProjection
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
    };

    public static void Configure(StoreOptions options)
    {
        // Rich appending assigns sequence numbers before inline projections run, so each entry knows its place.
        options.Events.AppendMode = EventAppendMode.Rich;
        options.Projections.Add(new AuditEntryProjection(), ProjectionLifecycle.Inline);
        options.Schema.For<AuditEntry>()
            .Duplicate(x => x.Sequence, configure: index => index.IsUnique = true)
            .Duplicate(x => x.Actor)
            .Duplicate(x => x.CorrelationId)
            .Duplicate(x => x.Type)
            .Duplicate(x => x.OccurredAt)
            .Duplicate(x => x.UserName!)
            .Duplicate(x => x.Target!)
            .Duplicate(x => x.SourceAddress!);
    }

    public Task ApplyAsync(IDocumentOperations operations, IReadOnlyList<IEvent> events, CancellationToken cancellation)
    {
        foreach (var stored in events)
        {
            if (stored.Data is IAccessEvent accessEvent)
            {
                operations.Store(ToEntry(stored, accessEvent));
            }
        }

        return Task.CompletedTask;
    }

    private static AuditEntry ToEntry(IEvent stored, IAccessEvent accessEvent)
    {
        var traceParent = stored.Headers?.GetValueOrDefault(AccessEventAppending.TraceParentHeader)?.ToString();
        var data = JsonSerializer.SerializeToElement(stored.Data, stored.EventType, Json);
        return new AuditEntry
        {
            Id = accessEvent.EventId,
            Sequence = stored.Sequence,
            Type = stored.EventType.Name,
            OccurredAt = accessEvent.OccurredAt,
            RecordedAt = stored.Timestamp,
            Actor = accessEvent.Actor,
            SourceAddress = accessEvent.SourceAddress,
            CorrelationId = accessEvent.CorrelationId,
            TraceId = ActivityContext.TryParse(traceParent, null, out var context) ? context.TraceId.ToHexString() : null,
            UserName = EventSubject.UserOf(accessEvent),
            Target = Text(data, "target"),
            Data = data,
        };
    }

    private static string? Text(JsonElement data, string property) =>
        data.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
