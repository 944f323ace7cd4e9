using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Gatehouse.EndToEnd.Tests.Support;
using Gatehouse.TestSupport;
using Xunit.Abstractions;

namespace Gatehouse.EndToEnd.Tests.Tokens;

/// <summary>
/// The finding of issue #15: a token kept working on the Audit and Authorization APIs for up to its 15 minutes after
/// <c>users disable</c> or <c>users set-roles</c>. Authentication, Authorization, the SessionBroker and Audit run as real
/// services on the real bus and database; the change is made through the admin API, as the CLI makes it.
/// </summary>
[Collection(GatehouseCollection.Name)]
public sealed class When_an_api_token_holder_loses_access(GatehouseStack stack, AnAuditStoreOnTheBus audit, ITestOutputHelper output)
    : IClassFixture<AnAuditStoreOnTheBus>
{
    private const string Password = "an analyst passphrase for tokens";
    private const string SocApi = "api/audit/decisions";
    private const string OwnRequests = "api/access-requests";
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Should_be_refused_by_audit_and_authorization_within_seconds_of_the_disable_and_not_revived_by_enabling()
    {
        var timings = new List<TimeSpan>();
        for (var run = 0; run < 5; run++)
        {
            var name = await CreateAnalystAsync("tokdis", "soc-analyst");
            var token = await TokenAsync(name);
            using var soc = audit.Client(token);
            using var authorization = AuthorizationClient(token);
            await AssertStatusAsync(HttpStatusCode.OK, soc.GetAsync(SocApi));
            await AssertStatusAsync(HttpStatusCode.OK, authorization.GetAsync(OwnRequests));

            var clock = Stopwatch.StartNew();
            await AssertStatusAsync(HttpStatusCode.NoContent, stack.AuthenticationAdmin.PostAsync($"api/users/{name}/disable", null));
            await WaitForAsync(soc, SocApi, HttpStatusCode.Unauthorized);
            timings.Add(clock.Elapsed);
            await WaitForAsync(authorization, OwnRequests, HttpStatusCode.Unauthorized);

            if (run == 0)
            {
                await AssertRevokedAsync(soc.GetAsync(SocApi), "is disabled");
                await AssertStatusAsync(HttpStatusCode.NoContent, stack.AuthenticationAdmin.PostAsync($"api/users/{name}/enable", null));
                using var fresh = audit.Client(await TokenAsync(name));
                await WaitForAsync(fresh, SocApi, HttpStatusCode.OK);
                // Whoever held the old token while the account was disabled does not get it back.
                await AssertRevokedAsync(soc.GetAsync(SocApi), "disabled after it was issued");
                await AssertRevokedAsync(authorization.GetAsync(OwnRequests), "disabled after it was issued");
            }
        }

        var sorted = timings.Order().ToList();
        output.WriteLine($"users disable -> first 401 from Audit: median {sorted[sorted.Count / 2].TotalMilliseconds:0} ms, "
                         + $"runs {string.Join(", ", timings.Select(t => $"{t.TotalMilliseconds:0}"))} ms");
    }

    [Fact]
    public async Task Should_lose_the_soc_api_once_soc_analyst_is_removed_while_the_roles_left_still_work_with_a_new_token()
    {
        var name = await CreateAnalystAsync("tokrole", "soc-analyst", "approver");
        var token = await TokenAsync(name);
        using var soc = audit.Client(token);
        using var authorization = AuthorizationClient(token);
        await AssertStatusAsync(HttpStatusCode.OK, soc.GetAsync(SocApi));

        var clock = Stopwatch.StartNew();
        await AssertStatusAsync(HttpStatusCode.OK, stack.AuthenticationAdmin.PutAsJsonAsync($"api/users/{name}/roles", new { roles = new[] { "approver" } }));
        await WaitForAsync(soc, SocApi, HttpStatusCode.Unauthorized);
        output.WriteLine($"users set-roles -> first 401 from Audit: {clock.Elapsed.TotalMilliseconds:0} ms");
        await WaitForAsync(authorization, OwnRequests, HttpStatusCode.Unauthorized);
        await AssertRevokedAsync(soc.GetAsync(SocApi), "no longer holds the role soc-analyst");

        var fresh = await TokenAsync(name);
        using var freshSoc = audit.Client(fresh);
        using var freshAuthorization = AuthorizationClient(fresh);
        await AssertStatusAsync(HttpStatusCode.Forbidden, freshSoc.GetAsync(SocApi));
        await AssertStatusAsync(HttpStatusCode.OK, freshAuthorization.GetAsync(OwnRequests));
    }

    [Fact]
    public async Task Should_be_refused_by_the_session_broker_and_authentication_once_an_admin_is_disabled()
    {
        var name = await CreateAnalystAsync("tokadm", "admin");
        var token = await TokenAsync(name);
        using var broker = Client(stack.BrokerAdmin, token);
        using var authentication = Client(stack.AuthenticationAdmin, token);
        await AssertStatusAsync(HttpStatusCode.OK, broker.GetAsync("api/sessions"));
        await AssertStatusAsync(HttpStatusCode.OK, authentication.GetAsync("api/users"));

        await AssertStatusAsync(HttpStatusCode.NoContent, stack.AuthenticationAdmin.PostAsync($"api/users/{name}/disable", null));

        // Authentication checks its own store: refused at once, no event to wait for.
        await AssertRevokedAsync(authentication.GetAsync("api/users"), "is disabled");
        await WaitForAsync(broker, "api/sessions", HttpStatusCode.Unauthorized);
        await AssertRevokedAsync(broker.GetAsync("api/sessions"), "is disabled");
    }

    private async Task<string> CreateAnalystAsync(string prefix, params string[] roles)
    {
        var name = $"{prefix}{Guid.NewGuid():N}"[..(prefix.Length + 8)];
        await AssertStatusAsync(HttpStatusCode.Created, stack.AuthenticationAdmin.PostAsJsonAsync("api/users", new { userName = name, roles }));
        await AssertStatusAsync(HttpStatusCode.NoContent, stack.AuthenticationAdmin.PutAsJsonAsync($"api/users/{name}/password", new { password = Password }));
        return name;
    }

    private async Task<string> TokenAsync(string name)
    {
        using var anonymous = new HttpClient { BaseAddress = stack.AuthenticationAdmin.BaseAddress };
        return await TokensFromAuthentication.SignInAsync(anonymous, name, Password);
    }

    private HttpClient AuthorizationClient(string token) => Client(stack.AuthorizationAdmin, token);

    /// <summary>A client for the same service as <paramref name="admin"/>, with another token.</summary>
    private static HttpClient Client(HttpClient admin, string token)
    {
        var client = new HttpClient { BaseAddress = admin.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private static async Task WaitForAsync(HttpClient client, string path, HttpStatusCode expected)
    {
        var deadline = Stopwatch.StartNew();
        HttpStatusCode last;
        do
        {
            using var response = await client.GetAsync(path);
            last = response.StatusCode;
            if (last == expected)
            {
                return;
            }

            await Task.Delay(25);
        }
        while (deadline.Elapsed < Bound);

        Assert.Fail($"GET {path} still answered {(int)last} {Bound.TotalSeconds} s after the change, not {(int)expected}");
    }

    private static async Task AssertStatusAsync(HttpStatusCode expected, Task<HttpResponseMessage> call)
    {
        using var response = await call;
        Assert.True(response.StatusCode == expected,
            $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    private static async Task AssertRevokedAsync(Task<HttpResponseMessage> call, string reason)
    {
        using var response = await call;
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{(int)response.StatusCode}: {body}");
        var problem = JsonSerializer.Deserialize<JsonElement>(body);
        Assert.Equal("Token revoked", problem.GetProperty("title").GetString());
        Assert.Contains(reason, problem.GetProperty("detail").GetString());
    }
}
