namespace Gatehouse.Contracts;

/// <summary>
/// A change to who may reach what (targets and their labels, roles and their members, grants, command policies) was
/// refused and nothing was changed. The attempt is recorded, since an admin write by someone without the role, or a run
/// of refusals, is a signal even when the product stopped it. It carries no request body.
/// </summary>
/// <param name="Change">The write as the API names it: method and route, e.g. <c>PUT /api/roles/{role}/members/{user}</c>.</param>
/// <param name="Subject">The route's values, e.g. <c>role=dba, user=bob</c>; null when the route has none.</param>
/// <param name="ActorRoles">The API roles the caller's token carried.</param>
public sealed record AccessChangeRefused(
    string Change,
    string? Subject,
    ChangeRefusalReason Reason,
    IReadOnlyList<string> ActorRoles,
    string Actor,
    string? SourceAddress,
    string CorrelationId,
    Guid EventId,
    DateTimeOffset OccurredAt) : IAccessEvent;
