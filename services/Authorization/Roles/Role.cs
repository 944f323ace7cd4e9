using Gatehouse.Contracts;

namespace Gatehouse.Authorization.Roles;

/// <summary>
/// An access role, owned by Authorization (inline snapshot of its stream): a grant or command policy naming it covers its
/// members only. It is not an API role (admin, approver, ...: Authentication's), even when it bears the same name.
/// </summary>
public sealed record Role(Guid Id, string Name, string Description, IReadOnlyList<string> Members, DateTimeOffset DefinedAt, string DefinedBy)
{
    public static Role Create(RoleDefined defined) =>
        new(defined.RoleId, defined.Name, defined.Description, [], defined.OccurredAt, defined.Actor);

    public Role Apply(RoleMemberAdded added) =>
        Members.Contains(added.UserName) ? this : this with { Members = [.. Members, added.UserName] };

    public Role Apply(RoleMemberRemoved removed) => this with { Members = Members.Where(m => m != removed.UserName).ToList() };
}
