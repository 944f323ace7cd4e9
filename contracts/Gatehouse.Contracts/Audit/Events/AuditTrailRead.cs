namespace Gatehouse.Contracts;

/// <summary>
/// Someone read the audit trail through the SOC API, or watched a live session's output through a gateway instance's
/// API: who, what they asked for, and what they got.
/// </summary>
/// <param name="Reader">The API token's subject.</param>
/// <param name="Request">The path and query string as asked.</param>
/// <param name="StatusCode">The HTTP status of the answer.</param>
public sealed record AuditTrailRead(
    string Reader,
    string Request,
    int StatusCode,
    string Actor,
    string? SourceAddress,
    string CorrelationId,
    Guid EventId,
    DateTimeOffset OccurredAt) : IAccessEvent;
