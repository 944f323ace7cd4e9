namespace Gatehouse.Contracts;

/// <summary>
/// An action on the audit service (acknowledging or resolving an alert, running the integrity verification) was refused
/// and nothing was changed or run. Recorded like <see cref="AccessChangeRefused"/>; it carries no request body.
/// </summary>
/// <param name="Change">The action as the API names it: method and route, e.g. <c>POST /api/audit/alerts/{id}/resolve</c>.</param>
/// <param name="Subject">The route's values, e.g. <c>id=…</c>; null when the route has none.</param>
/// <param name="ActorRoles">The API roles the caller's token carried.</param>
public sealed record AuditChangeRefused(
    string Change,
    string? Subject,
    ChangeRefusalReason Reason,
    IReadOnlyList<string> ActorRoles,
    string Actor,
    string? SourceAddress,
    string CorrelationId,
    Guid EventId,
    DateTimeOffset OccurredAt) : IAccessEvent;
