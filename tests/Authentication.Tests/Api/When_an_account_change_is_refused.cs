using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Gatehouse.Contracts;
using Gatehouse.Authentication.Tests.Support;

namespace Gatehouse.Authentication.Tests.Api;

/// <summary>
/// A user-administration write the API refuses (no admin role, invalid input, a conflict) still answers as before and
/// is recorded as an AccountChangeRefused, without the body; reads and writes that succeed are not.
/// </summary>
[Collection(ServiceWithFirstAdminCollection.Name)]
public sealed class When_an_account_change_is_refused(ServiceWithFirstAdmin fixture)
{
    /// <summary>A user of its own, so the refusals recorded for it are this test's alone.</summary>
    private async Task<(HttpClient Client, string Name)> SignedInAsync(string prefix, string[] roles)
    {
        var password = $"a password for {prefix}";
        var user = await fixture.CreateUserAsync(prefix, roles: roles, password: password);
        var client = fixture.Service.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await fixture.TokenAsync(user.Name, password));
        return (client, user.Name);
    }

    [Fact]
    public async Task Should_record_a_user_without_the_admin_role_changing_roles_and_still_refuse_it_with_a_403()
    {
        var (user, name) = await SignedInAsync("eve", ["user"]);
        using var _ = user;
        var victim = await fixture.CreateUserAsync("victim");

        var refused = await user.PutAsJsonAsync($"/api/users/{victim.Name}/roles", new { roles = new[] { "admin" } });
        var read = await user.GetAsync("/api/users");

        Assert.Equal((HttpStatusCode.Forbidden, HttpStatusCode.Forbidden), (refused.StatusCode, read.StatusCode));
        Assert.StartsWith("Not allowed: this needs the admin role", (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
        var recorded = Assert.Single(await fixture.RefusalsAsync(name));
        Assert.Equal(("PUT /api/users/{name}/roles", victim.Name, ChangeRefusalReason.Forbidden), (recorded.Change, recorded.UserName, recorded.Reason));
        Assert.Equal(["user"], recorded.ActorRoles);
    }

    [Fact]
    public async Task Should_record_an_admins_invalid_key_and_taken_name_without_the_body_and_not_a_done_change()
    {
        // The fixture's admin: a second admin would change what its other tests see (the last admin).
        var admin = fixture.Admin;
        var target = await fixture.CreateUserAsync("keyed");
        var earlier = (await fixture.RefusalsAsync(ServiceWithFirstAdmin.AdminName)).Count;

        var invalid = await admin.PostAsJsonAsync($"/api/users/{target.Name}/keys", new { publicKey = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5" });
        var taken = await admin.PostAsJsonAsync("/api/users", new { userName = target.Name });
        var done = await admin.PostAsync($"/api/users/{target.Name}/disable", null);

        Assert.Equal((HttpStatusCode.BadRequest, HttpStatusCode.Conflict, true), (invalid.StatusCode, taken.StatusCode, done.IsSuccessStatusCode));
        var recorded = (await fixture.RefusalsAsync(ServiceWithFirstAdmin.AdminName)).Skip(earlier).ToList();
        Assert.Equal([("POST /api/users/{name}/keys", target.Name, ChangeRefusalReason.InvalidInput), ("POST /api/users", null, ChangeRefusalReason.Conflict)],
            recorded.Select(r => (r.Change, r.UserName, r.Reason)));
        Assert.All(recorded, r => Assert.Equal(["admin"], r.ActorRoles));
        Assert.DoesNotContain("AAAAC3NzaC1lZDI1NTE5", JsonSerializer.Serialize(recorded));
    }
}
