using Gatehouse.Contracts;
using Gatehouse.Contracts.Authentication;
using Gatehouse.Authentication.Tests.Support;

namespace Gatehouse.Authentication.Tests.SignIn.AuthenticatingUserCertificate;

/// <summary>
/// A certificate the gateway accepted still meets the account: its refusal is a failed certificate login, and the plain
/// key ssh offers next on the same connection is the same attempt, not a second failure.
/// </summary>
[Collection(ServiceWithFirstAdminCollection.Name)]
public class When_the_gateway_vouches_for_a_user_certificate(ServiceWithFirstAdmin fixture)
{
    private static AuthenticateUserCertificate CertificateRequest(string userName, TestKey key, string connection) =>
        new(userName, key.Fingerprint, TestKeys.Ed25519().Fingerprint, 42, $"{userName}@laptop", TestSources.Next(), connection);

    [Fact]
    public async Task Should_record_an_unknown_account_as_a_failed_certificate_login()
    {
        var key = TestKeys.Ed25519();
        var connection = Guid.NewGuid().ToString();

        var reply = await fixture.AnswerAsync<AuthenticateUserCertificate, PublicKeyAccepted>(
            CertificateRequest("nobody-" + Guid.NewGuid().ToString("N")[..8], key, connection));

        Assert.Equal(LoginFailureReason.UnknownKey, Assert.IsType<AuthenticationRefused>(reply).Reason);
        var failed = Assert.IsType<LoginFailed>(Assert.Single(await fixture.StoredEventsAsync(connection)));
        Assert.Equal(("certificate", LoginFailureReason.UnknownUser, key.Fingerprint), (failed.Method, failed.Reason, failed.KeyFingerprint));
    }

    [Fact]
    public async Task Should_not_record_the_plain_key_of_a_refused_certificate_again_unless_it_is_the_users()
    {
        var user = await fixture.CreateUserAsync("erin");
        var stranger = TestKeys.Ed25519();
        var connection = Guid.NewGuid().ToString();

        var plain = await fixture.AnswerAsync<AuthenticatePublicKey, PublicKeyAccepted>(
            user.KeyRequest(connection) with { PublicKey = stranger.Base64, CertificateRefused = true });
        // The user's own key still lets them in after a refused certificate of it (an expired one, say).
        var own = await fixture.AnswerAsync<AuthenticatePublicKey, PublicKeyAccepted>(user.KeyRequest(connection) with { CertificateRefused = true });

        Assert.Equal(LoginFailureReason.UnknownKey, Assert.IsType<AuthenticationRefused>(plain).Reason);
        Assert.IsType<PublicKeyAccepted>(own);
        Assert.IsType<LoginSucceeded>(Assert.Single(await fixture.StoredEventsAsync(connection)));
    }
}
