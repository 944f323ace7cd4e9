namespace Gatehouse.Contracts.Authorization;

/// <summary>The command policies that apply to one user's session on one target; empty when none do.</summary>
public sealed record CommandPoliciesForSession(
    string UserName,
    string Target,
    IReadOnlyList<SessionCommandPolicy> Policies);
