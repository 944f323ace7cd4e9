namespace Gatehouse.Contracts;

/// <summary>
/// A change to Gatehouse users (creating, deleting, disabling, their API roles, keys, password or MFA) or to the API
/// signing keys was refused and nothing was changed. The attempt is recorded like <see cref="AccessChangeRefused"/>;
/// it carries no request body, so no password, key or code.
/// </summary>
/// <param name="Change">The write as the API names it: method and route, e.g. <c>PUT /api/users/{name}/roles</c>.</param>
/// <param name="UserName">The user the change was about, from the route; null when the route names none (creating a user).</param>
/// <param name="ActorRoles">The API roles the caller's token carried.</param>
public sealed record AccountChangeRefused(
    string Change,
    string? UserName,
    ChangeRefusalReason Reason,
    IReadOnlyList<string> ActorRoles,
    string Actor,
    string? SourceAddress,
    string CorrelationId,
    Guid EventId,
    DateTimeOffset OccurredAt) : IAccessEvent;
