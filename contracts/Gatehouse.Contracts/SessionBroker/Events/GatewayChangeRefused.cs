namespace Gatehouse.Contracts;

/// <summary>
/// An administrative write to the gateway (the target credential vault, the certificate authority, a target's posture
/// override, ending a live session) was refused and nothing was changed. Recorded like <see cref="AccessChangeRefused"/>;
/// it carries no request body, so no password or key.
/// </summary>
/// <param name="Change">The write as the API names it: method and route, e.g. <c>POST /api/ca/{kind}/rotate</c>.</param>
/// <param name="Subject">The route's values, e.g. <c>kind=user</c>; null when the route has none.</param>
/// <param name="ActorRoles">The API roles the caller's token carried.</param>
public sealed record GatewayChangeRefused(
    string Change,
    string? Subject,
    ChangeRefusalReason Reason,
    IReadOnlyList<string> ActorRoles,
    string Actor,
    string? SourceAddress,
    string CorrelationId,
    Guid EventId,
    DateTimeOffset OccurredAt) : IAccessEvent;
