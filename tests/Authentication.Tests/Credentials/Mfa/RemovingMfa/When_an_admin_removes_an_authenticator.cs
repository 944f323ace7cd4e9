using Gatehouse.Authentication.Credentials.Mfa.RemovingMfa;
using Gatehouse.Authentication.Tests.Users;
using Gatehouse.Authentication.Users;
using Gatehouse.Contracts;

namespace Gatehouse.Authentication.Tests.Credentials.Mfa.RemovingMfa;

public class When_an_admin_removes_an_authenticator
{
    [Fact]
    public void Should_remove_an_authenticator_and_say_when_there_is_none()
    {
        var user = Given.User();
        var enrolled = user.Apply(new TotpSecretIssued(user.Id, "sealed", [], Given.Now));

        Given.Single<MfaRemoved>(RemoveMfa.Decide(enrolled, Given.Admin, Given.EventId));
        Given.Refused(RemoveMfa.Decide(user, Given.Admin, Given.EventId), 404, "alice has no authenticator");
    }
}
