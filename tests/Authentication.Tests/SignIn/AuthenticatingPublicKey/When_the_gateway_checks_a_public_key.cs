using System.Net.Http.Json;
using Gatehouse.Contracts;
using Gatehouse.Contracts.Authentication;
using Gatehouse.Authentication.Tests.Support;

namespace Gatehouse.Authentication.Tests.SignIn.AuthenticatingPublicKey;

[Collection(ServiceWithFirstAdminCollection.Name)]
public class When_the_gateway_checks_a_public_key(ServiceWithFirstAdmin fixture)
{
    [Fact]
    public async Task Should_accept_a_registered_key_and_record_the_login()
    {
        var user = await fixture.CreateUserAsync("alice", roles: ["user", "approver"]);
        var connection = Guid.NewGuid().ToString();

        var reply = await fixture.AnswerAsync<AuthenticatePublicKey, PublicKeyAccepted>(user.KeyRequest(connection, "192.0.2.10"));

        var accepted = Assert.IsType<PublicKeyAccepted>(reply);
        Assert.Equal(user.Name, accepted.UserName);
        Assert.False(accepted.MfaRequired);
        Assert.Equal(["approver", "user"], accepted.Roles);
        Assert.Equal(user.Key.Fingerprint, accepted.KeyFingerprint);
        var stored = Assert.IsType<LoginSucceeded>(Assert.Single(await fixture.StoredEventsAsync(connection)));
        var published = await fixture.Published.WaitForAsync<LoginSucceeded>(e => e.CorrelationId == connection);
        Assert.Equal(stored.EventId, published.EventId);
        Assert.Equal("publickey", published.Methods);
        Assert.Equal(user.Key.Fingerprint, published.KeyFingerprint);
        Assert.Equal("192.0.2.10", published.SourceAddress);
    }

    [Fact]
    public async Task Should_refuse_an_unknown_user_exactly_like_an_unknown_key()
    {
        var user = await fixture.CreateUserAsync("bob");
        var unknownUser = Guid.NewGuid().ToString();
        var unknownKey = Guid.NewGuid().ToString();

        var forUnknownUser = await fixture.AnswerAsync<AuthenticatePublicKey, PublicKeyAccepted>(
            user.KeyRequest(unknownUser) with { UserName = "nobody-" + Guid.NewGuid().ToString("N")[..8] });
        var forUnknownKey = await fixture.AnswerAsync<AuthenticatePublicKey, PublicKeyAccepted>(
            user.KeyRequest(unknownKey) with { PublicKey = TestKeys.Ed25519().Base64 });

        Assert.Equal(Assert.IsType<AuthenticationRefused>(forUnknownUser), Assert.IsType<AuthenticationRefused>(forUnknownKey));
        Assert.Equal(LoginFailureReason.UnknownUser,
            (await fixture.Published.WaitForAsync<LoginFailed>(e => e.CorrelationId == unknownUser)).Reason);
        Assert.Equal(LoginFailureReason.UnknownKey,
            (await fixture.Published.WaitForAsync<LoginFailed>(e => e.CorrelationId == unknownKey)).Reason);
    }

    [Fact]
    public async Task Should_refuse_a_disabled_users_key()
    {
        var user = await fixture.CreateUserAsync("carol");
        (await fixture.Admin.PostAsync($"/api/users/{user.Name}/disable", null)).EnsureSuccessStatusCode();
        var connection = Guid.NewGuid().ToString();

        var reply = await fixture.AnswerAsync<AuthenticatePublicKey, PublicKeyAccepted>(user.KeyRequest(connection));

        Assert.Equal(LoginFailureReason.AccountDisabled, Assert.IsType<AuthenticationRefused>(reply).Reason);
        var failed = await fixture.Published.WaitForAsync<LoginFailed>(e => e.CorrelationId == connection);
        Assert.Equal(LoginFailureReason.AccountDisabled, failed.Reason);
        await fixture.Published.WaitForAsync<UserDisabled>(e => e.UserName == user.Name);
    }

    [Fact]
    public async Task Should_refuse_a_deleted_users_key_and_keep_the_name_taken()
    {
        var user = await fixture.CreateUserAsync("dave");
        (await fixture.Admin.DeleteAsync($"/api/users/{user.Name}")).EnsureSuccessStatusCode();

        var reply = await fixture.AnswerAsync<AuthenticatePublicKey, PublicKeyAccepted>(user.KeyRequest(Guid.NewGuid().ToString()));
        var again = await fixture.Admin.PostAsJsonAsync("/api/users", new { userName = user.Name });

        Assert.Equal(LoginFailureReason.UnknownKey, Assert.IsType<AuthenticationRefused>(reply).Reason);
        Assert.Equal(System.Net.HttpStatusCode.Conflict, again.StatusCode);
    }

    [Fact]
    public async Task Should_refuse_a_key_that_belongs_to_another_user_until_its_owner_is_deleted()
    {
        var owner = await fixture.CreateUserAsync("kate");
        var other = await fixture.CreateUserAsync("liam", withKey: false);

        var taken = await fixture.Admin.PostAsJsonAsync($"/api/users/{other.Name}/keys", new { publicKey = owner.Key.Line() });
        Assert.Equal(System.Net.HttpStatusCode.Conflict, taken.StatusCode);
        Assert.Contains($"belongs to another user ({owner.Name})", await taken.Content.ReadAsStringAsync());

        (await fixture.Admin.DeleteAsync($"/api/users/{owner.Name}")).EnsureSuccessStatusCode();
        (await fixture.Admin.PostAsJsonAsync($"/api/users/{other.Name}/keys", new { publicKey = owner.Key.Line() })).EnsureSuccessStatusCode();
        var reply = await fixture.AnswerAsync<AuthenticatePublicKey, PublicKeyAccepted>(
            new AuthenticatePublicKey(other.Name, owner.Key.Algorithm, owner.Key.Base64, TestSources.Next(), Guid.NewGuid().ToString()));
        Assert.IsType<PublicKeyAccepted>(reply);
    }

    [Fact]
    public async Task Should_refuse_a_removed_key_and_report_changed_roles()
    {
        var user = await fixture.CreateUserAsync("ben");
        var second = TestKeys.EcdsaP256();
        (await fixture.Admin.PostAsJsonAsync($"/api/users/{user.Name}/keys", new { publicKey = second.Line() })).EnsureSuccessStatusCode();
        (await fixture.Admin.DeleteAsync($"/api/users/{user.Name}/keys?fingerprint={Uri.EscapeDataString(user.Key.Fingerprint)}"))
            .EnsureSuccessStatusCode();
        (await fixture.Admin.PutAsJsonAsync($"/api/users/{user.Name}/roles", new { roles = new[] { "soc-analyst" } })).EnsureSuccessStatusCode();

        var removed = await fixture.AnswerAsync<AuthenticatePublicKey, PublicKeyAccepted>(user.KeyRequest(Guid.NewGuid().ToString()));
        var remaining = await fixture.AnswerAsync<AuthenticatePublicKey, PublicKeyAccepted>(
            new AuthenticatePublicKey(user.Name, second.Algorithm, second.Base64, TestSources.Next(), Guid.NewGuid().ToString()));

        Assert.Equal(LoginFailureReason.UnknownKey, Assert.IsType<AuthenticationRefused>(removed).Reason);
        Assert.Equal(["soc-analyst"], Assert.IsType<PublicKeyAccepted>(remaining).Roles);
    }

    [Fact]
    public async Task Should_refuse_an_expired_key()
    {
        var user = await fixture.CreateUserAsync("erin", withKey: false);
        var key = TestKeys.Ed25519();
        (await fixture.Admin.PostAsJsonAsync($"/api/users/{user.Name}/keys",
            new { publicKey = key.Line(), expiresAt = fixture.Clock.GetUtcNow().AddMinutes(5) })).EnsureSuccessStatusCode();
        fixture.Clock.Advance(TimeSpan.FromMinutes(6));

        var reply = await fixture.AnswerAsync<AuthenticatePublicKey, PublicKeyAccepted>(
            new AuthenticatePublicKey(user.Name, key.Algorithm, key.Base64, TestSources.Next(), Guid.NewGuid().ToString()));

        Assert.Equal(LoginFailureReason.KeyExpired, Assert.IsType<AuthenticationRefused>(reply).Reason);
    }

    [Theory]
    [InlineData("ssh-ed25519", "AAAAC3NzaC1lZDI1NTE5", "192.0.2.1")]
    [InlineData("ssh-ed25519", "%%%not-base64%%%", "192.0.2.1")]
    [InlineData("ssh-dss", "AAAAB3NzaC1kc3M=", "192.0.2.1")]
    [InlineData("ssh-ed25519", "", "not-an-address")]
    public async Task Should_answer_malformed_requests_with_a_clear_refusal_and_store_nothing(string algorithm, string blob, string source)
    {
        var user = await fixture.CreateUserAsync("frank");
        var before = await fixture.StoredDataAsync();

        var reply = await fixture.AnswerAsync<AuthenticatePublicKey, PublicKeyAccepted>(
            new AuthenticatePublicKey(user.Name, algorithm, blob.Length == 0 ? user.Key.Base64 : blob, source, Guid.NewGuid().ToString()));

        Assert.StartsWith("Malformed request", Assert.IsType<AuthenticationRefused>(reply).Message);
        Assert.Equal(before, await fixture.StoredDataAsync());
    }

    [Fact]
    public async Task Should_refuse_absurd_lengths_and_store_nothing()
    {
        var user = await fixture.CreateUserAsync("grace");
        var before = await fixture.StoredDataAsync();

        var longName = await fixture.AnswerAsync<AuthenticatePublicKey, PublicKeyAccepted>(
            user.KeyRequest(Guid.NewGuid().ToString()) with { UserName = new string('a', 100_000) });
        var longBlob = await fixture.AnswerAsync<AuthenticatePublicKey, PublicKeyAccepted>(
            user.KeyRequest(Guid.NewGuid().ToString()) with { PublicKey = new string('A', 1_000_000) });
        var longCorrelation = await fixture.AnswerAsync<AuthenticatePublicKey, PublicKeyAccepted>(
            user.KeyRequest(new string('c', 10_000)));
        var longCode = await fixture.AnswerAsync<VerifyMfa, MfaVerified>(
            new VerifyMfa(user.Name, new string('1', 100_000), TestSources.Next(), Guid.NewGuid().ToString()));

        Assert.All([longName, longBlob, longCorrelation, longCode],
            reply => Assert.StartsWith("Malformed request", Assert.IsType<AuthenticationRefused>(reply).Message));
        Assert.Equal(before, await fixture.StoredDataAsync());
    }
}
