using Gatehouse.Authorization.Roles;
using Gatehouse.Authorization.Roles.ChangingMembers;
using Gatehouse.Contracts;
using Gatehouse.ServiceDefaults.Http;

namespace Gatehouse.Authorization.Tests.Roles.ChangingMembers;

/// <summary>Adding or removing a member decided on the role as stored, with no store.</summary>
public class When_an_admin_changes_a_roles_members
{
    private static readonly DateTimeOffset Now = new(2026, 12, 5, 0, 30, 0, TimeSpan.Zero);
    private static readonly ApiCaller Admin = new("olga", "10.0.0.9", "trace-1", Now);
    private static readonly Guid EventId = Guid.Parse("0193a1b2-0000-7000-8000-00000000000b");
    private static readonly Role Dba = new(Guid.Parse("0193a1b2-0000-7000-8000-0000000000d0"), "dba", "database administrators", ["ann"],
        Now.AddDays(-1), "root-admin");

    public static TheoryData<string, bool, IAccessEvent?> Changes => new()
    {
        { "sam", true, new RoleMemberAdded(Dba.Id, "dba", "sam", "olga", "10.0.0.9", "trace-1", EventId, Now) },
        { "ann", false, new RoleMemberRemoved(Dba.Id, "dba", "ann", "olga", "10.0.0.9", "trace-1", EventId, Now) },
        // Already as asked: nothing is recorded.
        { "ann", true, null },
        { "sam", false, null },
    };

    [Theory]
    [MemberData(nameof(Changes))]
    public void Should_record_only_a_change_of_membership(string user, bool add, IAccessEvent? expected) =>
        Assert.Equal(expected, ChangeRoleMembers.Decide(Dba, user, add, Admin, EventId));
}
