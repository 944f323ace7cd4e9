using Gatehouse.Contracts;
using Gatehouse.Contracts.Authentication;
using Gatehouse.Authentication.Tests.Support;

namespace Gatehouse.Authentication.Tests.SignIn.VerifyingMfa;

[Collection(ServiceWithFirstAdminCollection.Name)]
public class When_a_user_has_enrolled_an_authenticator(ServiceWithFirstAdmin fixture)
{
    [Fact]
    public async Task Should_get_an_otpauth_uri_and_a_terminal_qr_code_at_enrollment()
    {
        var user = await fixture.CreateUserAsync("henry");

        var enrollment = await fixture.EnrollAsync(user.Name);

        Assert.StartsWith($"otpauth://totp/Gatehouse:{user.Name}?secret={enrollment.Secret}&issuer=Gatehouse", enrollment.OtpAuthUri);
        Assert.Contains('█', enrollment.QrCode);
        Assert.Equal(10, enrollment.RecoveryCodes.Distinct().Count());
    }

    [Fact]
    public async Task Should_require_the_code_after_the_key_and_then_complete_the_login()
    {
        var user = await fixture.CreateUserAsync("irene", withMfa: true);
        var connection = Guid.NewGuid().ToString();

        var first = Assert.IsType<PublicKeyAccepted>(
            await fixture.AnswerAsync<AuthenticatePublicKey, PublicKeyAccepted>(user.KeyRequest(connection)));
        Assert.True(first.MfaRequired);
        Assert.Empty(await fixture.StoredEventsAsync(connection));

        var second = await fixture.AnswerAsync<VerifyMfa, MfaVerified>(
            new VerifyMfa(user.Name, fixture.CurrentCode(user), TestSources.Next(), connection));

        Assert.Equal(user.Name, Assert.IsType<MfaVerified>(second).UserName);
        var login = await fixture.Published.WaitForAsync<LoginSucceeded>(e => e.CorrelationId == connection);
        Assert.Equal("publickey,keyboard-interactive", login.Methods);
        Assert.Equal(user.Key.Fingerprint, login.KeyFingerprint);
    }

    [Fact]
    public async Task Should_complete_a_password_login_with_the_code_too()
    {
        var user = await fixture.CreateUserAsync("ivy", password: "ivy's long password", withMfa: true);
        var connection = Guid.NewGuid().ToString();

        var first = await fixture.AnswerAsync<AuthenticatePassword, PasswordAccepted>(
            new AuthenticatePassword(user.Name, "ivy's long password", TestSources.Next(), connection));
        var second = await fixture.AnswerAsync<VerifyMfa, MfaVerified>(
            new VerifyMfa(user.Name, fixture.CurrentCode(user), TestSources.Next(), connection));

        Assert.True(Assert.IsType<PasswordAccepted>(first).MfaRequired);
        Assert.IsType<MfaVerified>(second);
        Assert.Equal("password,keyboard-interactive",
            (await fixture.Published.WaitForAsync<LoginSucceeded>(e => e.CorrelationId == connection)).Methods);
    }

    [Fact]
    public async Task Should_reject_a_used_code_when_it_is_replayed()
    {
        var user = await fixture.CreateUserAsync("jack", withMfa: true);
        var code = fixture.CurrentCode(user);
        var firstConnection = Guid.NewGuid().ToString();
        await fixture.AnswerAsync<AuthenticatePublicKey, PublicKeyAccepted>(user.KeyRequest(firstConnection));
        Assert.IsType<MfaVerified>(await fixture.AnswerAsync<VerifyMfa, MfaVerified>(new VerifyMfa(user.Name, code, TestSources.Next(), firstConnection)));

        var replay = Guid.NewGuid().ToString();
        await fixture.AnswerAsync<AuthenticatePublicKey, PublicKeyAccepted>(user.KeyRequest(replay));
        var reply = await fixture.AnswerAsync<VerifyMfa, MfaVerified>(new VerifyMfa(user.Name, code, TestSources.Next(), replay));

        Assert.Equal(LoginFailureReason.MfaCodeReused, Assert.IsType<AuthenticationRefused>(reply).Reason);
        var failed = await fixture.Published.WaitForAsync<MfaFailed>(e => e.CorrelationId == replay);
        Assert.Equal(LoginFailureReason.MfaCodeReused, failed.Reason);
    }

    [Fact]
    public async Task Should_accept_a_code_only_once_when_it_is_sent_on_many_connections_at_the_same_time()
    {
        var user = await fixture.CreateUserAsync("jill", withMfa: true);
        var code = fixture.CurrentCode(user);
        var connections = Enumerable.Range(0, 8).Select(_ => Guid.NewGuid().ToString()).ToArray();
        foreach (var connection in connections)
        {
            await fixture.AnswerAsync<AuthenticatePublicKey, PublicKeyAccepted>(user.KeyRequest(connection));
        }

        var replies = await Task.WhenAll(connections.Select(connection =>
            fixture.AnswerAsync<VerifyMfa, MfaVerified>(new VerifyMfa(user.Name, code, TestSources.Next(), connection))));

        Assert.Single(replies.OfType<MfaVerified>());
        // Replays count as failures, so after three of them (the test's MaxSecondFactorFailuresPerUser) the second factor locks.
        Assert.All(replies.OfType<AuthenticationRefused>(), refusal =>
            Assert.Contains(refusal.Reason, new[] { LoginFailureReason.MfaCodeReused, LoginFailureReason.AccountLocked }));
    }

    [Fact]
    public async Task Should_refuse_a_right_code_without_a_first_factor_on_that_connection()
    {
        var user = await fixture.CreateUserAsync("kate", withMfa: true);

        var reply = await fixture.AnswerAsync<VerifyMfa, MfaVerified>(
            new VerifyMfa(user.Name, fixture.CurrentCode(user), TestSources.Next(), Guid.NewGuid().ToString()));

        Assert.Equal(LoginFailureReason.WrongMfaCode, Assert.IsType<AuthenticationRefused>(reply).Reason);
    }

    [Fact]
    public async Task Should_accept_a_recovery_code_once()
    {
        var user = await fixture.CreateUserAsync("liam", withMfa: true);
        var recovery = user.RecoveryCodes[3];

        var first = Guid.NewGuid().ToString();
        await fixture.AnswerAsync<AuthenticatePublicKey, PublicKeyAccepted>(user.KeyRequest(first));
        var accepted = await fixture.AnswerAsync<VerifyMfa, MfaVerified>(new VerifyMfa(user.Name, recovery, TestSources.Next(), first));
        var second = Guid.NewGuid().ToString();
        await fixture.AnswerAsync<AuthenticatePublicKey, PublicKeyAccepted>(user.KeyRequest(second));
        var reused = await fixture.AnswerAsync<VerifyMfa, MfaVerified>(new VerifyMfa(user.Name, recovery, TestSources.Next(), second));

        Assert.IsType<MfaVerified>(accepted);
        Assert.Equal(9, (await fixture.Published.WaitForAsync<MfaRecoveryCodeUsed>(e => e.CorrelationId == first)).RecoveryCodesLeft);
        Assert.Equal(LoginFailureReason.WrongMfaCode, Assert.IsType<AuthenticationRefused>(reused).Reason);
    }
}
