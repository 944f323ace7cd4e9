using Gatehouse.Authentication.Users.DeletingUser;
using Gatehouse.Contracts;

namespace Gatehouse.Authentication.Tests.Users.DeletingUser;

public class When_an_admin_deletes_a_user
{
    [Fact]
    public void Should_delete_a_user_as_the_administrator_at_the_time_given()
    {
        var user = Given.User();

        var deleted = Given.Single<UserDeleted>(DeleteUser.Decide(user, activeAdmins: 1, Given.Admin, Given.EventId));

        Assert.Equal((user.Id, "alice", "root-admin", "10.0.0.5", Given.EventId, Given.Now),
            (deleted.UserId, deleted.UserName, deleted.Actor, deleted.SourceAddress, deleted.EventId, deleted.OccurredAt));
    }

    [Fact]
    public void Should_refuse_to_delete_the_last_active_admin() =>
        Given.Refused(DeleteUser.Decide(Given.AdminUser(), activeAdmins: 1, Given.Admin, Given.EventId), 409, "'ada' is the last active admin");

    [Fact]
    public void Should_delete_an_admin_while_another_can_administer() =>
        Given.Single<UserDeleted>(DeleteUser.Decide(Given.AdminUser(), activeAdmins: 2, Given.Admin, Given.EventId));
}
