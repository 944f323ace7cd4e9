using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Gatehouse.Contracts;
using Gatehouse.ServiceDefaults.Bus;
using Gatehouse.ServiceDefaults.Security;
using Gatehouse.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Gatehouse.Authentication.Tests.Support;

namespace Gatehouse.Authentication.Tests.Tokens.IssuingToken;

[Collection(ServiceWithFirstAdminCollection.Name)]
public class When_another_service_checks_an_api_token(ServiceWithFirstAdmin fixture) : IAsyncLifetime
{
    private const string Password = "a password for tokens";
    private OtherService _other = null!;

    public async Task InitializeAsync()
    {
        fixture.Clock.Reset();
        _other = await OtherService.StartAsync(fixture);
    }

    public async Task DisposeAsync() => await _other.DisposeAsync();

    [Fact]
    public async Task Should_accept_a_fresh_token_and_authorize_by_role()
    {
        var analyst = await fixture.CreateUserAsync("rita", roles: ["soc-analyst"], password: Password);
        var plain = await fixture.CreateUserAsync("sam", roles: ["user"], password: Password);
        using var asAnalyst = _other.Client(await fixture.TokenAsync(analyst.Name, Password));
        using var asPlainUser = _other.Client(await fixture.TokenAsync(plain.Name, Password));

        Assert.Equal(analyst.Name, await asAnalyst.GetStringAsync("/whoami"));
        Assert.Equal(HttpStatusCode.OK, (await asAnalyst.GetAsync("/audit")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await asPlainUser.GetAsync("/audit")).StatusCode);
        var issued = await fixture.Published.WaitForAsync<ApiTokenIssued>(e => e.UserName == analyst.Name);
        Assert.Equal(["soc-analyst"], issued.Roles);
    }

    [Fact]
    public async Task Should_reject_an_expired_token()
    {
        var user = await fixture.CreateUserAsync("tom", password: Password);
        fixture.Clock.Advance(TimeSpan.FromHours(-1));
        var expired = await fixture.TokenAsync(user.Name, Password);
        fixture.Clock.Reset();

        using var client = _other.Client(expired);

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/whoami")).StatusCode);
    }

    [Fact]
    public async Task Should_reject_a_token_signed_by_another_key_under_the_real_key_id()
    {
        var user = await fixture.CreateUserAsync("uma", password: Password);
        var genuine = new JsonWebToken(await fixture.TokenAsync(user.Name, Password));
        using var forger = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var forged = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = genuine.Issuer,
            Audience = genuine.Audiences.Single(),
            Subject = new ClaimsIdentity([new Claim("sub", user.Name), new Claim("role", "admin"), new Claim("role", "soc-analyst")]),
            Expires = DateTime.UtcNow.AddMinutes(5),
            SigningCredentials = new SigningCredentials(new ECDsaSecurityKey(forger) { KeyId = genuine.Kid }, SecurityAlgorithms.EcdsaSha256),
        });

        using var client = _other.Client(forged);

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/whoami")).StatusCode);
    }

    [Fact]
    public async Task Should_reject_a_genuine_token_whose_roles_were_edited()
    {
        var user = await fixture.CreateUserAsync("vic", password: Password);
        var parts = (await fixture.TokenAsync(user.Name, Password)).Split('.');
        var payload = Encoding.UTF8.GetString(Base64UrlEncoder.DecodeBytes(parts[1])).Replace("\"user\"", "\"soc-analyst\"");
        var tampered = $"{parts[0]}.{Base64UrlEncoder.Encode(payload)}.{parts[2]}";

        using var client = _other.Client(tampered);

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/audit")).StatusCode);
    }

    [Fact]
    public async Task Should_reject_an_unsigned_token()
    {
        var header = Base64UrlEncoder.Encode("{\"alg\":\"none\",\"typ\":\"JWT\"}");
        var payload = Base64UrlEncoder.Encode(
            $"{{\"sub\":\"mallory\",\"role\":\"soc-analyst\",\"iss\":\"gatehouse-authentication\",\"aud\":\"gatehouse-api\",\"exp\":{DateTimeOffset.UtcNow.AddMinutes(5).ToUnixTimeSeconds()}}}");

        using var client = _other.Client($"{header}.{payload}.");

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/audit")).StatusCode);
    }

    [Fact]
    public async Task Should_not_issue_a_token_for_a_wrong_password_or_missing_code()
    {
        var user = await fixture.CreateUserAsync("wendy", password: Password, withMfa: true);
        using var anonymous = fixture.Service.CreateClient();

        var wrongPassword = await anonymous.PostAsJsonAsync("/api/tokens", new { userName = user.Name, password = "not it at all" });
        var missingCode = await anonymous.PostAsJsonAsync("/api/tokens", new { userName = user.Name, password = Password });
        var withCode = await anonymous.PostAsJsonAsync("/api/tokens", new { userName = user.Name, password = Password, code = fixture.CurrentCode(user) });

        Assert.Equal(HttpStatusCode.Unauthorized, wrongPassword.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, missingCode.StatusCode);
        Assert.Equal(HttpStatusCode.OK, withCode.StatusCode);
    }
}
