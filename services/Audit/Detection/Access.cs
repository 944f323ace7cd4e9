using System.Collections.Immutable;
using Gatehouse.Contracts;

namespace Gatehouse.Audit.Detection;

/// <summary>
/// Who may reach what, folded from Authorization's events into the rules' state: role members, grants to users and
/// roles, target labels. Applied after the rules judged an event, so a change is judged against what held before it.
/// </summary>
public static class Access
{
    public static DetectionState Follow(DetectionState state, IAccessEvent accessEvent) => accessEvent switch
    {
        RoleMemberAdded added => state with
        {
            RoleMembers = state.RoleMembers.SetItem(added.Role, state.RoleMembers.GetValueOrDefault(added.Role, []).Add(added.UserName)),
        },
        RoleMemberRemoved removed when state.RoleMembers.TryGetValue(removed.Role, out var members) => state with
        {
            RoleMembers = members.Remove(removed.UserName) is { Count: > 0 } left ? state.RoleMembers.SetItem(removed.Role, left) : state.RoleMembers.Remove(removed.Role),
        },
        GrantIssued { SubjectKind: GrantSubjectKind.User or GrantSubjectKind.Role } grant => state with
        {
            Grants = state.Grants.SetItem(grant.GrantId.ToString("D"), new GrantScope(grant.SubjectKind, grant.Subject, [.. grant.TargetNames],
                grant.TargetLabels.ToImmutableDictionary(), grant.ExpiresAt)),
        },
        GrantRevoked revoked => state with { Grants = state.Grants.Remove(revoked.GrantId.ToString("D")) },
        TargetRegistered registered => state with { TargetLabels = state.TargetLabels.SetItem(registered.Name, registered.Labels.ToImmutableDictionary()) },
        TargetChanged changed => state with { TargetLabels = state.TargetLabels.SetItem(changed.Name, changed.Labels.ToImmutableDictionary()) },
        TargetRemoved removed => state with { TargetLabels = state.TargetLabels.Remove(removed.Name) },
        _ => state,
    };
}
