using Gatehouse.Authentication.Credentials.Mfa.EnrollingMfa;
using Gatehouse.Authentication.Tests.Users;
using Gatehouse.Authentication.Users;
using Gatehouse.Contracts;

namespace Gatehouse.Authentication.Tests.Credentials.Mfa.EnrollingMfa;

public class When_a_user_enrolls_an_authenticator
{
    [Fact]
    public void Should_issue_a_secret_then_confirm_it_and_spend_the_confirming_step()
    {
        var user = Given.User();
        var issued = Given.Single<TotpSecretIssued>(EnrollMfa.DecideStart(user, "sealed", ["h1", "h2"], Given.Now));
        var pending = user.Apply(issued);

        var confirmed = EnrollMfa.DecideConfirm(pending, authenticator => authenticator.ProtectedSecret == "sealed" ? 42 : null,
            Given.Admin, Given.EventId);

        Assert.Null(confirmed.Refusal);
        Assert.Collection(confirmed.Events,
            e => Assert.IsType<MfaEnrolled>(e),
            e => Assert.Equal(42, Assert.IsType<TotpStepUsed>(e).TimeStep));
    }

    [Fact]
    public void Should_refuse_a_code_that_does_not_match_as_bad_input()
    {
        var user = Given.User();
        var pending = user.Apply(new TotpSecretIssued(user.Id, "sealed", [], Given.Now));

        var refused = EnrollMfa.DecideConfirm(pending, _ => null, Given.Admin, Given.EventId);

        Given.Refused(refused, 400, "The code does not match");
        Assert.Equal("code", refused.Refusal!.Field);
    }

    [Fact]
    public void Should_refuse_to_start_over_a_confirmed_authenticator_or_confirm_without_one()
    {
        var user = Given.User();
        var confirmed = user.Apply(new TotpSecretIssued(user.Id, "sealed", [], Given.Now))
            .Apply(new MfaEnrolled(user.Id, user.UserName, "root-admin", null, "c", Given.EventId, Given.Now));

        Given.Refused(EnrollMfa.DecideStart(confirmed, "new", [], Given.Now), 409, "already has an authenticator");
        Given.Refused(EnrollMfa.DecideConfirm(confirmed, _ => 1, Given.Admin, Given.EventId), 409, "already confirmed");
        Given.Refused(EnrollMfa.DecideConfirm(user, _ => 1, Given.Admin, Given.EventId), 409, "no enrollment in progress");
    }
}
