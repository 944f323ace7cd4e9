using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Gatehouse.Authentication.Tokens.SigningKeys;
using Gatehouse.Contracts;
using Gatehouse.Authentication.Tokens.ViewingSigningKeys;
using Gatehouse.TestSupport;
using Microsoft.IdentityModel.JsonWebTokens;
using Gatehouse.Authentication.Tests.Support;

namespace Gatehouse.Authentication.Tests.Tokens.RotatingSigningKey;

[Collection(ServiceWithFirstAdminCollection.Name)]
public class When_an_operator_rotates_the_signing_key(ServiceWithFirstAdmin fixture) : IAsyncLifetime
{
    private const string Password = "a password for rotation";

    public Task InitializeAsync()
    {
        fixture.Clock.Reset();
        return Task.CompletedTask;
    }

    public Task DisposeAsync()
    {
        fixture.Clock.Reset();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Should_publish_the_new_key_before_it_signs_and_keep_the_old_one_until_its_tokens_have_expired()
    {
        var user = await fixture.CreateUserAsync("rotor", password: Password);
        var oldToken = await fixture.TokenAsync(user.Name, Password);
        var oldKey = new JsonWebToken(oldToken).Kid;

        var response = await fixture.Admin.PostAsync("/api/signing-keys/rotate", null);
        response.EnsureSuccessStatusCode();
        var rotated = (await response.Content.ReadFromJsonAsync<SigningKeyView>())!;
        Assert.Equal("next", rotated.State);
        Assert.Equal(new[] { oldKey, rotated.KeyId }.Order(), await PublishedKeysAsync());
        var audited = await fixture.Published.WaitForAsync<ApiSigningKeyRotated>(e => e.KeyId == rotated.KeyId);
        Assert.Equal(ServiceWithFirstAdmin.AdminName, audited.Actor);
        Assert.Equal(rotated.SignsFrom, audited.SignsFrom);
        Assert.False(audited.PreviousKeysWithdrawn);

        // Another service that reads the JWKS any time before the new key signs (the next refresh after a rotation).
        await using var other = await OtherService.StartAsync(fixture);
        using (var client = other.Client(oldToken))
        {
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/whoami")).StatusCode);
        }

        await Task.Delay(rotated.SignsFrom - fixture.Clock.GetUtcNow() + TimeSpan.FromMilliseconds(200));
        var newToken = await fixture.TokenAsync(user.Name, Password);
        Assert.Equal(rotated.KeyId, new JsonWebToken(newToken).Kid);

        using (var withNew = other.Client(newToken))
        using (var withOld = other.Client(oldToken))
        {
            Assert.Equal(HttpStatusCode.OK, (await withNew.GetAsync("/whoami")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await withOld.GetAsync("/whoami")).StatusCode);
        }

        var listed = (await (await fixture.Admin.GetAsync("/api/signing-keys")).Content.ReadFromJsonAsync<SigningKeyView[]>())!;
        Assert.Equal("signing", listed.Single(k => k.KeyId == rotated.KeyId).State);
        var retiring = listed.Single(k => k.KeyId == oldKey);
        Assert.Equal("retiring", retiring.State);
        Assert.Equal(rotated.SignsFrom + TimeSpan.FromMinutes(15) + ApiSigningKeys.ClockSkew, retiring.PublishedUntil);

        // Once the last token the old key signed has expired, the old key is no longer published.
        fixture.Clock.Advance(retiring.PublishedUntil!.Value - fixture.Clock.GetUtcNow() + TimeSpan.FromSeconds(1));
        Assert.Equal([rotated.KeyId], await PublishedKeysAsync());
    }

    [Fact]
    public async Task Should_withdraw_a_leaked_key_at_once_so_that_no_token_it_signed_works_any_more()
    {
        var oldAdminToken = fixture.Admin.DefaultRequestHeaders.Authorization!.Parameter!;
        var oldKey = new JsonWebToken(oldAdminToken).Kid;

        var response = await fixture.Admin.PostAsync("/api/signing-keys/rotate?compromised=true", null);
        response.EnsureSuccessStatusCode();
        var rotated = (await response.Content.ReadFromJsonAsync<SigningKeyView>())!;
        // Everyone signs in again, the admin too; the other tests of the run go on with the new token.
        var newAdminToken = await fixture.TokenAsync(ServiceWithFirstAdmin.AdminName, ServiceWithFirstAdmin.AdminPassword);
        fixture.Admin.DefaultRequestHeaders.Authorization = new("Bearer", newAdminToken);

        Assert.Equal("signing", rotated.State);
        Assert.Equal(rotated.KeyId, new JsonWebToken(newAdminToken).Kid);
        Assert.Equal([rotated.KeyId], await PublishedKeysAsync());
        using (var withOld = fixture.Service.CreateClient())
        {
            withOld.DefaultRequestHeaders.Authorization = new("Bearer", oldAdminToken);
            Assert.Equal(HttpStatusCode.Unauthorized, (await withOld.GetAsync("/api/signing-keys")).StatusCode);
        }

        var listed = (await (await fixture.Admin.GetAsync("/api/signing-keys")).Content.ReadFromJsonAsync<SigningKeyView[]>())!;
        Assert.Equal("retired", listed.Single(k => k.KeyId == oldKey).State);
        var audited = await fixture.Published.WaitForAsync<ApiSigningKeyRotated>(e => e.KeyId == rotated.KeyId);
        Assert.True(audited.PreviousKeysWithdrawn);
        Assert.Equal(ServiceWithFirstAdmin.AdminName, audited.Actor);
    }

    [Fact]
    public async Task Should_sign_and_publish_with_the_same_keys_on_every_instance()
    {
        var state = Directory.CreateTempSubdirectory("gatehouse-authn-second-").FullName;
        var configuration = new Dictionary<string, string?>(fixture.Configuration)
        {
            ["Gatehouse:State"] = state,
        };
        // A second instance on the same store, as behind a load balancer.
        await using var second = new ServiceFactory<Program>("authentication", fixture.Schema, configuration);
        using var secondClient = second.CreateClient();
        var user = await fixture.CreateUserAsync("twin", password: Password);

        var fromSecond = await secondClient.PostAsJsonAsync("/api/tokens", new { userName = user.Name, password = Password });
        fromSecond.EnsureSuccessStatusCode();
        var token = (await fromSecond.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString()!;
        var secondJwks = await secondClient.GetStringAsync("/.well-known/jwks.json");

        Assert.Equal(await fixture.Service.CreateClient().GetStringAsync("/.well-known/jwks.json"), secondJwks);
        await using var other = await OtherService.StartAsync(fixture);
        using var client = other.Client(token);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/whoami")).StatusCode);
        Directory.Delete(state, recursive: true);
    }

    private async Task<string[]> PublishedKeysAsync()
    {
        using var anonymous = fixture.Service.CreateClient();
        var jwks = await anonymous.GetFromJsonAsync<JsonElement>("/.well-known/jwks.json");
        return jwks.GetProperty("keys").EnumerateArray().Select(k => k.GetProperty("kid").GetString()!).Order().ToArray();
    }
}
