using Gatehouse.Contracts;

namespace Gatehouse.Authorization.Roles;

/// <summary>
/// A target-access role owned by Authorization (inline snapshot of its stream). A user's roles at a decision are the
/// ones the Authentication service vouches for in the request plus the Authorization roles they are a member of.
/// </summary>
public sealed record Role(Guid Id, string Name, string Description, IReadOnlyList<string> Members, DateTimeOffset DefinedAt, string DefinedBy)
{
    public static Role Create(RoleDefined defined) =>
        new(defined.RoleId, defined.Name, defined.Description, [], defined.OccurredAt, defined.Actor);

    public Role Apply(RoleMemberAdded added) =>
        Members.Contains(added.UserName) ? this : this with { Members = [.. Members, added.UserName] };

    public Role Apply(RoleMemberRemoved removed) => this with { Members = Members.Where(m => m != removed.UserName).ToList() };
}
