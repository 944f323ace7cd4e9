using System.Net;
using System.Text.Json;
using Gatehouse.Authorization.Grants;

namespace Gatehouse.Authorization.Tests.Grants.IssuingGrant;

/// <summary>
/// A mistyped target, login, role or user is refused and nothing is stored, so no grant lies dormant until someone
/// creates that name; a label selector is meant for targets to come, so it is accepted with a warning.
/// </summary>
[Collection(AnEmptyAuthorizationStoreCollection.Name)]
public class When_a_grant_names_what_does_not_exist(AnEmptyAuthorizationStore service) : IAsyncLifetime
{
    private readonly string _target = $"ref-{Guid.NewGuid():N}"[..20];
    private readonly string _user = $"ref-user-{Guid.NewGuid():N}"[..20];
    private readonly string _team = $"ref{Guid.NewGuid():N}"[..16];

    public async Task InitializeAsync()
    {
        using var admin = service.Admin();
        await service.CreateUsersAsync(_user);
        (await AnEmptyAuthorizationStore.Post(admin, "/api/targets", new
        {
            name = _target, address = "10.4.4.4", labels = new Dictionary<string, string> { ["team"] = _team }, logins = new[] { "root", "deploy" },
        })).EnsureSuccessStatusCode();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Should_refuse_an_unknown_target() =>
        await RefusedAsync(new { subjectKind = "User", subject = _user, targetNames = new[] { "no-such-target" }, logins = new[] { "root" } },
            "targetNames", "there is no target named 'no-such-target'");

    [Fact]
    public async Task Should_refuse_a_login_the_target_does_not_declare() =>
        await RefusedAsync(new { subjectKind = "User", subject = _user, targetNames = new[] { _target }, logins = new[] { "rot" } },
            "logins", $"no target of the grant declares the login 'rot' ({_target} has root, deploy)");

    [Fact]
    public async Task Should_refuse_an_unknown_role() =>
        await RefusedAsync(new { subjectKind = "Role", subject = "no-such-role", targetNames = new[] { _target }, logins = new[] { "root" } },
            "subject", "there is no access role named 'no-such-role'");

    [Fact]
    public async Task Should_refuse_an_unknown_user_after_asking_authentication() =>
        await RefusedAsync(new { subjectKind = "User", subject = "no-such-user", targetNames = new[] { _target }, logins = new[] { "root" } },
            "subject", "there is no user named 'no-such-user': create the user first");

    [Fact]
    public async Task Should_accept_a_known_user_under_the_name_authentication_gives_it()
    {
        using var admin = service.Admin();

        var issued = await AnEmptyAuthorizationStore.Read<Grant>(await AnEmptyAuthorizationStore.Post(admin, "/api/grants",
            new { subjectKind = "User", subject = _user.ToUpperInvariant(), targetNames = new[] { _target }, logins = new[] { "root" } }));

        Assert.Equal(_user, issued.Subject);
    }

    [Fact]
    public async Task Should_accept_an_API_role_that_tokens_carry_and_refuse_one_they_do_not()
    {
        using var admin = service.Admin();

        var response = await AnEmptyAuthorizationStore.Post(admin, "/api/grants",
            new { subjectKind = "ApiRole", subject = "approver", targetNames = new[] { _target }, logins = new[] { "*" } });
        var unknown = await AnEmptyAuthorizationStore.Post(admin, "/api/grants",
            new { subjectKind = "ApiRole", subject = "dba", targetNames = new[] { _target }, logins = new[] { "*" } });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Contains("'dba' is not an API role", await unknown.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Should_accept_a_label_selector_that_matches_nothing_yet_with_a_warning()
    {
        using var admin = service.Admin();

        var response = await AnEmptyAuthorizationStore.Post(admin, "/api/grants",
            new { subjectKind = "User", subject = _user, targetLabels = new Dictionary<string, string> { ["team"] = "not-yet-" + _team }, logins = new[] { "root" } });

        var reply = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(_user, reply.GetProperty("subject").GetString());
        var warning = Assert.Single(reply.GetProperty("warnings").EnumerateArray()).GetString();
        Assert.StartsWith($"no target has the labels team=not-yet-{_team} yet", warning);
    }

    [Fact]
    public async Task Should_answer_no_warning_for_a_label_selector_that_matches()
    {
        using var admin = service.Admin();

        var response = await AnEmptyAuthorizationStore.Post(admin, "/api/grants",
            new { subjectKind = "User", subject = _user, targetLabels = new Dictionary<string, string> { ["team"] = _team }, logins = new[] { "root" } });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Empty(JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("warnings").EnumerateArray());
    }

    private async Task RefusedAsync(object body, string field, string message)
    {
        using var admin = service.Admin();
        var before = await service.StoredDataAsync();

        var response = await AnEmptyAuthorizationStore.Post(admin, "/api/grants", body);

        var text = await response.Content.ReadAsStringAsync();
        Assert.True(HttpStatusCode.BadRequest == response.StatusCode, $"{(int)response.StatusCode} {text}");
        var messages = JsonDocument.Parse(text).RootElement.GetProperty("errors").GetProperty(field);
        Assert.Contains(messages.EnumerateArray(), m => m.GetString()!.Contains(message, StringComparison.Ordinal));
        Assert.Equal(before, await service.StoredDataAsync());
        Assert.Empty(await AnEmptyAuthorizationStore.Read<List<Grant>>(await admin.GetAsync($"/api/grants?subject={_user}")));
    }
}
