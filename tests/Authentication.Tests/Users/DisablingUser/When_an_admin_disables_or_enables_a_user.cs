using Gatehouse.Authentication.Users.DisablingUser;
using Gatehouse.Contracts;

namespace Gatehouse.Authentication.Tests.Users.DisablingUser;

public class When_an_admin_disables_or_enables_a_user
{
    [Fact]
    public void Should_disable_and_enable_a_user()
    {
        var user = Given.User();

        var disabled = Given.Single<UserDisabled>(DisableUser.DecideDisable(user, activeAdmins: 1, Given.Admin, Given.EventId));
        var enabled = Given.Single<UserEnabled>(DisableUser.DecideEnable(user.Apply(disabled), Given.Admin, Given.EventId));

        Assert.Equal(user.Id, disabled.UserId);
        Assert.Equal(Given.Now, enabled.OccurredAt);
    }

    [Fact]
    public void Should_change_nothing_when_the_user_is_already_as_asked()
    {
        var user = Given.User();
        var disabled = user.Apply(new UserDisabled(user.Id, user.UserName, "root-admin", null, "c", Given.EventId, Given.Now));

        Assert.Empty(DisableUser.DecideDisable(disabled, activeAdmins: 0, Given.Admin, Given.EventId).Events);
        Assert.Null(DisableUser.DecideDisable(disabled, activeAdmins: 0, Given.Admin, Given.EventId).Refusal);
        Assert.Empty(DisableUser.DecideEnable(user, Given.Admin, Given.EventId).Events);
    }

    [Fact]
    public void Should_refuse_to_disable_the_last_active_admin() =>
        Given.Refused(DisableUser.DecideDisable(Given.AdminUser(), activeAdmins: 1, Given.Admin, Given.EventId), 409, "last active admin");
}
