namespace Gatehouse.Contracts.Authorization;

/// <summary>The user may not open the session; <paramref name="Reason"/> and <paramref name="Detail"/> say precisely why.</summary>
/// <param name="DecisionId">The event id of the recorded <see cref="AccessDenied"/>.</param>
public sealed record AccessRefused(
    Guid DecisionId,
    string UserName,
    string Target,
    string Login,
    AccessDenialReason Reason,
    string Detail);
