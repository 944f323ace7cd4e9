namespace Gatehouse.Contracts.Authorization;

/// <summary>The user may not open the session; <paramref name="Reason"/> and <paramref name="Detail"/> say precisely why, for the record.</summary>
/// <param name="DecisionId">The event id of the recorded <see cref="AccessDenied"/>.</param>
/// <param name="ShownToUser">
/// What the user may be told. A user with no grant covering the target is told only <see cref="NotCovered"/>, whether the target
/// or the login exists or not, so refusals cannot map what exists; absent (an older sender) means the same.
/// </param>
public sealed record AccessRefused(
    Guid DecisionId,
    string UserName,
    string Target,
    string Login,
    AccessDenialReason Reason,
    string Detail,
    string? ShownToUser = null)
{
    public const string NotCovered = "no grant of yours covers it";
}
