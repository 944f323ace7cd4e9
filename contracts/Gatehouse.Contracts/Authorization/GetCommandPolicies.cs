namespace Gatehouse.Contracts.Authorization;

/// <summary>The gateway asks which command policies apply to a session; the answer is <see cref="CommandPoliciesForSession"/>.</summary>
public sealed record GetCommandPolicies(
    string UserName,
    IReadOnlyList<string> Roles,
    string Target);
