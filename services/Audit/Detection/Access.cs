using System.Collections.Immutable;
using Gatehouse.Contracts;

namespace Gatehouse.Audit.Detection;

/// <summary>
/// Who may reach what, folded from Authorization's events into the rules' state: role members, grants to users and
/// roles, target labels; and from Authentication's, who holds which API role and which of those they gave themselves.
/// Applied after the rules judged an event, so a change is judged against what held before it.
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
        UserCreated created => state with { ApiRoles = state.ApiRoles.SetItem(created.UserName, [.. created.Roles]) },
        UserRolesChanged changed => state with
        {
            ApiRoles = state.ApiRoles.SetItem(changed.UserName, [.. changed.Roles]),
            // Roles another administrator sets are theirs to answer for; roles one gives oneself stay marked while held.
            SelfGivenRoles = changed.Actor != changed.UserName ? state.SelfGivenRoles.Remove(changed.UserName)
                : state.SelfGivenRoles.GetValueOrDefault(changed.UserName, []).Union(GainedRoles(state, changed)).Intersect(changed.Roles) is { Count: > 0 } kept
                    ? state.SelfGivenRoles.SetItem(changed.UserName, kept)
                    : state.SelfGivenRoles.Remove(changed.UserName),
        },
        UserDeleted deleted => state with
        {
            ApiRoles = state.ApiRoles.Remove(deleted.UserName),
            SelfGivenRoles = state.SelfGivenRoles.Remove(deleted.UserName),
        },
        _ => state,
    };

    /// <summary>
    /// The API roles a change gives that the user did not hold before it: as the event says (events from one service may
    /// reach the detector out of order), else as the detector last knew (all of them for a user not seen created).
    /// </summary>
    public static ImmutableHashSet<string> GainedRoles(DetectionState state, UserRolesChanged changed) =>
        [.. changed.Roles.Except(changed.PreviousRoles ?? (IEnumerable<string>)state.ApiRoles.GetValueOrDefault(changed.UserName, []))];
}
