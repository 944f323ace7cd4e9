using Gatehouse.Authentication.Users;
using Gatehouse.Authentication.Users.ChangingRoles;
using Gatehouse.Contracts;
using Gatehouse.ServiceDefaults.Http;

namespace Gatehouse.Authentication.Tests.Users.ChangingRoles;

public class When_an_admin_changes_a_users_roles
{
    [Fact]
    public void Should_record_the_new_roles()
    {
        var changed = Given.Single<UserRolesChanged>(ChangeRoles.Decide(Given.User(), [Roles.Approver, Roles.User], activeAdmins: 1,
            Given.Admin, Given.EventId));

        Assert.Equal([Roles.Approver, Roles.User], changed.Roles);
    }

    [Fact]
    public void Should_refuse_to_take_admin_from_the_last_active_admin_but_let_it_keep_admin()
    {
        Given.Refused(ChangeRoles.Decide(Given.AdminUser(), [Roles.User], activeAdmins: 1, Given.Admin, Given.EventId), 409, "last active admin");
        Given.Single<UserRolesChanged>(ChangeRoles.Decide(Given.AdminUser(), [Roles.Admin, Roles.Approver], activeAdmins: 1, Given.Admin,
            Given.EventId));
    }

    [Fact]
    public void Should_read_roles_in_lower_case_once_each_and_default_to_user()
    {
        var errors = new InputErrors();

        Assert.Equal([Roles.Admin, Roles.User], errors.RoleList("roles", [" Admin", "user", "ADMIN"]));
        Assert.Equal([Roles.User], errors.RoleList("roles", null));
        Assert.False(errors.Any);
        Assert.Empty(errors.RoleList("roles", ["root"]));
        Assert.Contains("Unknown role 'root'", Assert.Single(errors["roles"]));
    }
}
