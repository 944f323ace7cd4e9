namespace Gatehouse.Contracts.Authorization;

/// <summary>
/// The gateway asks whether a user may open a session on a target with a login, from a source address, now.
/// The answer is <see cref="AccessAllowed"/> or <see cref="AccessRefused"/>; no answer in time means deny.
/// </summary>
/// <param name="ApiRoles">
/// The user's API roles (admin, approver, soc-analyst, user) as the Authentication service vouched for them at login. They
/// reach only grants that name an API role explicitly; access roles are Authorization's own and looked up there.
/// </param>
/// <param name="MfaVerified">Whether the user completed a second factor in this login.</param>
/// <param name="CorrelationId">The login or session this check belongs to.</param>
public sealed record CheckAccess(
    string UserName,
    IReadOnlyList<string> ApiRoles,
    string Target,
    string Login,
    string? SourceAddress,
    bool MfaVerified,
    string CorrelationId);
