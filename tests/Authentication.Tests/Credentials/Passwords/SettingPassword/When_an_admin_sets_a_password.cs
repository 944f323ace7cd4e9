using Gatehouse.Authentication.Credentials.Passwords.SettingPassword;
using Gatehouse.Authentication.Tests.Users;
using Gatehouse.Authentication.Users;
using Gatehouse.Contracts;

namespace Gatehouse.Authentication.Tests.Credentials.Passwords.SettingPassword;

public class When_an_admin_sets_a_password
{
    [Fact]
    public void Should_keep_the_hash_in_the_service_and_publish_only_that_the_password_changed()
    {
        var decision = SetPassword.Decide(Given.User(), "$argon2id$v=19$m=1,t=1,p=1$c2FsdA$aGFzaA", Given.Admin, Given.EventId);

        Assert.Collection(decision.Events,
            e => Assert.Equal("$argon2id$v=19$m=1,t=1,p=1$c2FsdA$aGFzaA", Assert.IsType<PasswordHashRecorded>(e).PasswordHash),
            e => Assert.DoesNotContain("argon2", Assert.IsType<PasswordChanged>(e).ToString()));
    }
}
