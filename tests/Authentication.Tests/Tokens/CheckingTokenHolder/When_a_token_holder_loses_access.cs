using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Gatehouse.TestSupport;
using Xunit.Abstractions;
using Gatehouse.Authentication.Tests.Support;

namespace Gatehouse.Authentication.Tests.Tokens.CheckingTokenHolder;

/// <summary>
/// Another host on the real bus (<see cref="OtherService"/>) and the Authentication service itself stop honouring a
/// token within seconds of its user being disabled, deleted or losing a role, instead of at the token's expiry.
/// </summary>
[Collection(ServiceWithFirstAdminCollection.Name)]
public class When_a_token_holder_loses_access(ServiceWithFirstAdmin fixture, ITestOutputHelper output) : IAsyncLifetime
{
    private const string Password = "a password for revoked tokens";
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);
    private OtherService _other = null!;

    public async Task InitializeAsync()
    {
        fixture.Clock.Reset();
        _other = await OtherService.StartAsync(fixture);
    }

    public async Task DisposeAsync() => await _other.DisposeAsync();

    [Fact]
    public async Task Should_refuse_the_token_on_another_host_once_the_user_is_disabled_and_keep_refusing_it_after_enabling()
    {
        var analyst = await fixture.CreateUserAsync("dis", roles: ["soc-analyst"], password: Password);
        var token = await fixture.TokenAsync(analyst.Name, Password);
        using var client = _other.Client(token);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/audit")).StatusCode);

        var elapsed = await ChangeAndWaitForAsync(client, "/audit", HttpStatusCode.Unauthorized,
            () => fixture.Admin.PostAsync($"/api/users/{analyst.Name}/disable", null));
        output.WriteLine($"disable to first 401 on another host: {elapsed.TotalMilliseconds:0} ms");
        await AssertRevokedAsync(client.GetAsync("/audit"), "is disabled");

        (await fixture.Admin.PostAsync($"/api/users/{analyst.Name}/enable", null)).EnsureSuccessStatusCode();
        using var fresh = _other.Client(await fixture.TokenAsync(analyst.Name, Password));
        await WaitForAsync(fresh, "/audit", HttpStatusCode.OK);
        await AssertRevokedAsync(client.GetAsync("/audit"), "disabled after it was issued");
    }

    [Fact]
    public async Task Should_refuse_the_token_once_a_role_it_claims_is_removed_while_a_new_token_serves_the_roles_left()
    {
        var analyst = await fixture.CreateUserAsync("rol", roles: ["soc-analyst", "approver"], password: Password);
        using var client = _other.Client(await fixture.TokenAsync(analyst.Name, Password));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/audit")).StatusCode);

        var elapsed = await ChangeAndWaitForAsync(client, "/audit", HttpStatusCode.Unauthorized,
            () => fixture.Admin.PutAsJsonAsync($"/api/users/{analyst.Name}/roles", new { roles = new[] { "approver" } }));
        output.WriteLine($"role removal to first 401 on another host: {elapsed.TotalMilliseconds:0} ms");
        await AssertRevokedAsync(client.GetAsync("/whoami"), "no longer holds the role soc-analyst");

        using var fresh = _other.Client(await fixture.TokenAsync(analyst.Name, Password));
        Assert.Equal(HttpStatusCode.OK, (await fresh.GetAsync("/whoami")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await fresh.GetAsync("/audit")).StatusCode);
    }

    [Fact]
    public async Task Should_refuse_the_token_of_a_deleted_user()
    {
        var analyst = await fixture.CreateUserAsync("del", roles: ["soc-analyst"], password: Password);
        using var client = _other.Client(await fixture.TokenAsync(analyst.Name, Password));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/audit")).StatusCode);

        await ChangeAndWaitForAsync(client, "/audit", HttpStatusCode.Unauthorized, () => fixture.Admin.DeleteAsync($"/api/users/{analyst.Name}"));

        await AssertRevokedAsync(client.GetAsync("/whoami"), "no longer exists");
    }

    [Fact]
    public async Task Should_refuse_a_disabled_admins_token_on_the_authentication_service_at_once()
    {
        var admin = await fixture.CreateUserAsync("adm", roles: ["admin"], password: Password);
        using var client = fixture.Service.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", await fixture.TokenAsync(admin.Name, Password));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/users")).StatusCode);

        (await fixture.Admin.PostAsync($"/api/users/{admin.Name}/disable", null)).EnsureSuccessStatusCode();

        // Authentication answers from its own store: no event to wait for.
        await AssertRevokedAsync(client.GetAsync("/api/users"), "is disabled");
    }

    private static async Task<TimeSpan> ChangeAndWaitForAsync(HttpClient client, string path, HttpStatusCode expected, Func<Task<HttpResponseMessage>> change)
    {
        var clock = Stopwatch.StartNew();
        (await change()).EnsureSuccessStatusCode();
        await WaitForAsync(client, path, expected);
        return clock.Elapsed;
    }

    private static async Task WaitForAsync(HttpClient client, string path, HttpStatusCode expected)
    {
        var deadline = Stopwatch.StartNew();
        HttpStatusCode last;
        do
        {
            last = (await client.GetAsync(path)).StatusCode;
            if (last == expected)
            {
                return;
            }

            await Task.Delay(50);
        }
        while (deadline.Elapsed < Bound);

        Assert.Fail($"GET {path} still answered {(int)last} {Bound.TotalSeconds} s after the change, not {(int)expected}");
    }

    private static async Task AssertRevokedAsync(Task<HttpResponseMessage> call, string reason)
    {
        using var response = await call;
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{(int)response.StatusCode}: {body}");
        var problem = JsonSerializer.Deserialize<JsonElement>(body);
        Assert.Equal("Token revoked", problem.GetProperty("title").GetString());
        Assert.Contains(reason, problem.GetProperty("detail").GetString());
        Assert.Contains("invalid_token", response.Headers.WwwAuthenticate.ToString());
    }
}
