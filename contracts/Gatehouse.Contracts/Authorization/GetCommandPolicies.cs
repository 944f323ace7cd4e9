namespace Gatehouse.Contracts.Authorization;

/// <summary>The gateway asks which command policies apply to a session; the answer is <see cref="CommandPoliciesForSession"/>.</summary>
/// <param name="ApiRoles">The user's API roles as Authentication vouched for them; access roles are looked up by Authorization.</param>
public sealed record GetCommandPolicies(
    string UserName,
    IReadOnlyList<string> ApiRoles,
    string Target);
