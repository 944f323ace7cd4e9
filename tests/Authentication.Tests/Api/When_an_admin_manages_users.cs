using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Gatehouse.Authentication.Users.ViewingUsers;
using System.Text.Json;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;
using Gatehouse.Authentication.Tests.Support;

namespace Gatehouse.Authentication.Tests.Api;

[Collection(ServiceWithFirstAdminCollection.Name)]
public class When_an_admin_manages_users(ServiceWithFirstAdmin fixture)
{
    [Fact]
    public async Task Should_show_a_user_with_key_fingerprints_and_no_secrets()
    {
        var user = await fixture.CreateUserAsync("pat", roles: ["soc-analyst"], password: "a password for pat", withMfa: true);

        var response = await fixture.Admin.GetAsync($"/api/users/{user.Name}");
        var body = await response.Content.ReadAsStringAsync();

        var view = (await response.Content.ReadFromJsonAsync<UserView>())!;
        Assert.Equal(["soc-analyst"], view.Roles);
        Assert.True(view.HasPassword);
        Assert.True(view.MfaEnrolled);
        Assert.Equal(user.Key.Fingerprint, Assert.Single(view.Keys).Fingerprint);
        Assert.DoesNotContain("argon2", body);
        Assert.DoesNotContain(OtpNet.Base32Encoding.ToString(user.TotpSecret), body);
    }

    [Fact]
    public async Task Should_refuse_callers_without_an_admin_token()
    {
        var user = await fixture.CreateUserAsync("quinn", password: "a password for quinn");
        using var anonymous = fixture.Service.CreateClient();
        using var nonAdmin = fixture.Service.CreateClient();
        nonAdmin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer",
            await fixture.TokenAsync(user.Name, "a password for quinn"));

        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/users")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await nonAdmin.GetAsync("/api/users")).StatusCode);
        var refused = await nonAdmin.PostAsJsonAsync("/api/users", new { userName = "sneaky" });
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal("Not allowed: this needs the admin role and your token carries the role user. "
                     + "Ask an administrator for that role (gatehouse users set-roles), then sign in again for a new token.",
            (await refused.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("detail").GetString());
    }

    public static TheoryData<string, string, string, HttpStatusCode, string> BadRequests => new()
    {
        { "/api/users", "text/plain", "userName=x", HttpStatusCode.UnsupportedMediaType, "application/json" },
        { "/api/users", "application/json", "{not json", HttpStatusCode.BadRequest, "not valid JSON" },
        { "/api/users", "application/json", "{\"userName\": \"" + new string('a', 5000) + "\"}", HttpStatusCode.BadRequest, "longer than 32" },
        { "/api/users", "application/json", "{\"userName\": \"Robert'); DROP TABLE--\"}", HttpStatusCode.BadRequest, "User name must" },
        // Once trimmed into "deploy" and stored; the gateway and the vault refuse such a name.
        { "/api/users", "application/json", "{\"userName\": \"deploy\\n\"}", HttpStatusCode.BadRequest, "User name must" },
        { "/api/users", "application/json", "{\"userName\": \"rob\", \"roles\": [\"root\"]}", HttpStatusCode.BadRequest, "Unknown role" },
        { "/api/users/no-such-user/keys", "application/json", "{\"publicKey\": \"" + TestKeys.Ed25519().Line() + "\"}", HttpStatusCode.NotFound, "No user" },
        { "/api/users/" + ServiceWithFirstAdmin.AdminName + "/keys", "application/json", "{\"publicKey\": \"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5\"}", HttpStatusCode.BadRequest, "well-formed" },
        { "/api/users/" + ServiceWithFirstAdmin.AdminName + "/keys", "application/json", "{\"publicKey\": \"ssh-ed25519 " + new string('A', 200_000) + "\"}", HttpStatusCode.RequestEntityTooLarge, "at most" },
        { "/api/users/" + ServiceWithFirstAdmin.AdminName + "/mfa/confirm", "application/json", "{\"code\": \"12\"}", HttpStatusCode.BadRequest, "6 digits" },
        { "/api/users/" + ServiceWithFirstAdmin.AdminName + "/keys", "application/json", "{\"publicKey\": \"" + TestKeys.Ed25519().Line() + "\", \"expiresAt\": \"2001-01-01T00:00:00Z\"}", HttpStatusCode.BadRequest, "Expiry must be in the future" },
        { "/api/users/" + ServiceWithFirstAdmin.AdminName + "/keys", "application/json", "{\"publicKey\": \"" + TestKeys.Rsa(1024).Line() + "\"}", HttpStatusCode.BadRequest, "RSA keys shorter than 2048 bits" },
        { "/api/users/" + ServiceWithFirstAdmin.AdminName + "/keys", "application/x-www-form-urlencoded", "publicKey=ssh-ed25519", HttpStatusCode.UnsupportedMediaType, "application/json" },
        { "/api/tokens", "text/plain", "root-admin:password", HttpStatusCode.UnsupportedMediaType, "application/json" },
        { "/api/tokens", "application/json", "{\"userName\": \"root-admin\", \"password\": \"" + new string('p', 5000) + "\"}", HttpStatusCode.BadRequest, "Password must be 1 to 1024 characters" },
        { "/api/bootstrap", "text/plain", "secret", HttpStatusCode.UnsupportedMediaType, "application/json" },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task Should_answer_bad_input_with_a_clear_problem_and_change_nothing(string path, string contentType, string body,
        HttpStatusCode expected, string explanation)
    {
        var before = await fixture.StoredDataAsync();

        var response = await fixture.Admin.PostAsync(path, new StringContent(body, Encoding.UTF8, contentType));

        Assert.Equal(expected, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(explanation, await response.Content.ReadAsStringAsync());
        Assert.Equal(before, await fixture.StoredDataAsync());
    }

    [Fact]
    public void Should_map_every_route_once_and_need_an_admin_token_except_where_a_token_is_had()
    {
        var routes = fixture.Service.Services.GetRequiredService<Microsoft.AspNetCore.Routing.EndpointDataSource>().Endpoints
            .OfType<Microsoft.AspNetCore.Routing.RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText is { } path && (path.StartsWith("/api", StringComparison.Ordinal) || path.StartsWith("/.well-known", StringComparison.Ordinal)))
            .Select(e => (Route: $"{string.Join(",", e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.IHttpMethodMetadata>()!.HttpMethods)} {e.RoutePattern.RawText!.TrimEnd('/')}",
                Policies: string.Join(",", e.Metadata.GetOrderedMetadata<Microsoft.AspNetCore.Authorization.IAuthorizeData>().Select(a => a.Policy))))
            .ToList();

        string[] open = ["GET /.well-known/jwks.json", "POST /api/tokens", "POST /api/bootstrap", "POST /api/break-glass/unlock"];
        string[] admin =
        [
            "GET /api/users", "POST /api/users", "GET /api/users/{name}", "DELETE /api/users/{name}", "PUT /api/users/{name}/roles",
            "POST /api/users/{name}/disable", "POST /api/users/{name}/enable", "POST /api/users/{name}/unlock",
            "POST /api/users/{name}/keys", "DELETE /api/users/{name}/keys", "PUT /api/users/{name}/password",
            "POST /api/users/{name}/mfa", "POST /api/users/{name}/mfa/confirm", "DELETE /api/users/{name}/mfa",
            "GET /api/signing-keys", "POST /api/signing-keys/rotate",
        ];
        Assert.Equal(open.Concat(admin).Order(StringComparer.Ordinal), routes.Select(r => r.Route).Order(StringComparer.Ordinal));
        Assert.All(routes, r => Assert.Equal(open.Contains(r.Route) ? "" : "admin", r.Policies));
    }

    [Fact]
    public async Task Should_answer_invalid_input_in_the_problem_shape_every_api_shares()
    {
        var response = await fixture.Admin.PostAsJsonAsync("/api/users", new { userName = "Bad Name", roles = new[] { "root", "wizard" } });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = (await response.Content.ReadFromJsonAsync<Microsoft.AspNetCore.Http.HttpValidationProblemDetails>())!;
        // The title the Authorization, SessionBroker and Audit APIs and the input guard give: one dialect, field by field.
        Assert.Equal("The request is invalid; nothing was done", problem.Title);
        Assert.Single(problem.Errors["userName"]);
        Assert.Equal(2, problem.Errors["roles"].Length);
    }

    [Fact]
    public async Task Should_not_let_the_last_admin_lock_everyone_out()
    {
        var response = await fixture.Admin.PostAsync($"/api/users/{ServiceWithFirstAdmin.AdminName}/disable", null);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("last active admin", (await response.Content.ReadFromJsonAsync<ProblemDetails>())!.Detail);
    }

    [Fact]
    public async Task Should_refuse_a_second_bootstrap_and_leave_no_secret_behind()
    {
        using var anonymous = fixture.Service.CreateClient();

        var response = await anonymous.PostAsJsonAsync("/api/bootstrap",
            new { secret = "anything", userName = "intruder", password = "a long enough password" });

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.False(File.Exists(Path.Combine(fixture.StateDirectory, "bootstrap-secret")));
    }

    [Fact]
    public async Task Should_store_only_an_Argon2id_hash_at_the_configured_cost()
    {
        var user = await fixture.CreateUserAsync("hugo", password: "hugo's long passphrase");

        await using var session = fixture.Service.Services.GetRequiredService<IDocumentStore>().QuerySession();
        var account = (await session.Query<Gatehouse.Authentication.Users.UserAccount>().SingleAsync(u => u.UserName == user.Name))!;
        var events = await session.Events.FetchStreamAsync(account.Id);

        var hash = Assert.Single(events.Select(e => e.Data).OfType<Gatehouse.Authentication.Users.PasswordHashRecorded>()).PasswordHash;
        Assert.StartsWith("$argon2id$v=19$m=1024,t=1,p=1$", hash);
        Assert.DoesNotContain(events, e => JsonSerializer.Serialize(e.Data).Contains("hugo's long passphrase", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Should_keep_the_token_signing_key_encrypted_at_rest()
    {
        await using var session = fixture.Service.Services.GetRequiredService<IDocumentStore>().QuerySession();
        var stored = await session.Events.FetchStreamAsync(Gatehouse.Authentication.Tokens.SigningKeys.SigningKeySet.StreamId);
        var created = stored.Select(e => e.Data).OfType<Gatehouse.Authentication.Tokens.SigningKeys.ApiSigningKeyCreated>().ToArray();

        Assert.NotEmpty(created);
        Assert.All(created, key => Assert.StartsWith("1:", key.ProtectedPrivateKey));
        Assert.DoesNotContain(stored, e => JsonSerializer.Serialize(e.Data).Contains("PRIVATE KEY", StringComparison.Ordinal));
        Assert.False(File.Exists(Path.Combine(fixture.StateDirectory, "api-signing-key.pem")));
    }
}
