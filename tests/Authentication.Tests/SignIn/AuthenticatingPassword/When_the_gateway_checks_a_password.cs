using Gatehouse.Contracts;
using Gatehouse.Contracts.Authentication;
using Gatehouse.Authentication.Tests.Support;

namespace Gatehouse.Authentication.Tests.SignIn.AuthenticatingPassword;

[Collection(ServiceWithFirstAdminCollection.Name)]
public class When_the_gateway_checks_a_password(ServiceWithFirstAdmin fixture)
{
    private const string Password = "a password for the gateway";

    [Fact]
    public async Task Should_accept_the_right_password_and_record_the_login()
    {
        var user = await fixture.CreateUserAsync("pia", password: Password);
        var connection = Guid.NewGuid().ToString();

        var reply = await fixture.AnswerAsync<AuthenticatePassword, PasswordAccepted>(
            new AuthenticatePassword(user.Name, Password, "192.0.2.20", connection));

        var accepted = Assert.IsType<PasswordAccepted>(reply);
        Assert.False(accepted.MfaRequired);
        var login = Assert.IsType<LoginSucceeded>(Assert.Single(await fixture.StoredEventsAsync(connection)));
        Assert.Equal("password", login.Methods);
        Assert.Null(login.KeyFingerprint);
        Assert.Equal("192.0.2.20", (await fixture.Published.WaitForAsync<LoginSucceeded>(e => e.CorrelationId == connection)).SourceAddress);
    }

    [Fact]
    public async Task Should_record_why_each_refused_attempt_failed_and_tell_the_gateway_no_more_than_wrong_user_or_password()
    {
        // One user each: three failures lock a user in these tests.
        var wrong = await fixture.CreateUserAsync("quin", password: Password);
        var empty = await fixture.CreateUserAsync("quin", password: Password);
        var longOne = await fixture.CreateUserAsync("quin", password: Password);
        var keysOnly = await fixture.CreateUserAsync("rosa");
        var attempts = new (string Case, string User, string Password, LoginFailureReason Recorded)[]
        {
            ("wrong", wrong.Name, "not the password at all", LoginFailureReason.WrongPassword),
            ("empty", empty.Name, "", LoginFailureReason.WrongPassword),
            ("absurdly long", longOne.Name, new string('p', 100_000), LoginFailureReason.WrongPassword),
            ("unknown user", "nobody-" + Guid.NewGuid().ToString("N")[..8], Password, LoginFailureReason.UnknownUser),
            ("no password set", keysOnly.Name, Password, LoginFailureReason.PasswordNotSet),
        };

        foreach (var (what, userName, password, recorded) in attempts)
        {
            var connection = Guid.NewGuid().ToString();
            var reply = await fixture.AnswerAsync<AuthenticatePassword, PasswordAccepted>(
                new AuthenticatePassword(userName, password, TestSources.Next(), connection));

            var refused = Assert.IsType<AuthenticationRefused>(reply);
            Assert.Equal((what, LoginFailureReason.WrongPassword, "Permission denied: wrong user name or password."),
                (what, refused.Reason, refused.Message));
            var failed = Assert.IsType<LoginFailed>(Assert.Single(await fixture.StoredEventsAsync(connection)));
            Assert.Equal((what, recorded, "password"), (what, failed.Reason, failed.Method));
        }
    }

    [Fact]
    public async Task Should_refuse_a_disabled_users_right_password_and_say_so()
    {
        var user = await fixture.CreateUserAsync("sam", password: Password);
        (await fixture.Admin.PostAsync($"/api/users/{user.Name}/disable", null)).EnsureSuccessStatusCode();
        var connection = Guid.NewGuid().ToString();

        var reply = await fixture.AnswerAsync<AuthenticatePassword, PasswordAccepted>(
            new AuthenticatePassword(user.Name, Password, TestSources.Next(), connection));

        Assert.Equal(LoginFailureReason.AccountDisabled, Assert.IsType<AuthenticationRefused>(reply).Reason);
        Assert.Equal(LoginFailureReason.AccountDisabled,
            Assert.IsType<LoginFailed>(Assert.Single(await fixture.StoredEventsAsync(connection))).Reason);
    }

    [Fact]
    public async Task Should_count_guesses_at_an_account_without_a_password_like_any_wrong_password()
    {
        var user = await fixture.CreateUserAsync("tess");
        var source = TestSources.Next();

        for (var i = 0; i < 3; i++)
        {
            await fixture.AnswerAsync<AuthenticatePassword, PasswordAccepted>(
                new AuthenticatePassword(user.Name, "guess " + i, source, Guid.NewGuid().ToString()));
        }

        var reply = await fixture.AnswerAsync<AuthenticatePassword, PasswordAccepted>(
            new AuthenticatePassword(user.Name, "guess 4", source, Guid.NewGuid().ToString()));
        Assert.Equal(LoginFailureReason.TooManyAttempts, Assert.IsType<AuthenticationRefused>(reply).Reason);
        await fixture.Published.WaitForAsync<LoginThrottled>(e => e.UserName == user.Name && e.Address == source);
    }
}
