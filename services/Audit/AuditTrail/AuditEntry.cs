using System.Text.Json;

namespace Gatehouse.Audit.AuditTrail;

/// <summary>
/// One stored access event as the SOC queries it. <see cref="Sequence"/> is the audit store's own order,
/// which paging and the integrity chain follow.
/// </summary>
public sealed record AuditEntry
{
    /// <summary>The event id, as appended by the service that produced it.</summary>
    public Guid Id { get; init; }
    public long Sequence { get; init; }
    public string Type { get; init; } = "";
    public DateTimeOffset OccurredAt { get; init; }
    public DateTimeOffset RecordedAt { get; init; }
    public string Actor { get; init; } = "";
    public string? SourceAddress { get; init; }

    /// <summary>The user the event is about (<see cref="EventSubject"/>), which may differ from the actor (an approver, an admin).</summary>
    public string? UserName { get; init; }

    /// <summary>The target the event concerns, when it concerns one.</summary>
    public string? Target { get; init; }
    public string CorrelationId { get; init; } = "";
    public string? TraceId { get; init; }
    public JsonElement Data { get; init; }
}
