using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Gatehouse.Audit.Detection;
using Gatehouse.Contracts;
using Gatehouse.EndToEnd.Tests.Support;
using Gatehouse.TestSupport;

namespace Gatehouse.EndToEnd.Tests.Auditing;

/// <summary>
/// Issue #21 through the real services: an admin write refused by Authorization or Authentication is an event that the
/// Audit service's rules see, and an administrator giving themselves an API role is self-approval.
/// </summary>
[Collection(GatehouseCollection.Name)]
public sealed class When_someone_changes_access_they_should_not(GatehouseStack stack, AnAuditStoreOnTheBus audit) : IClassFixture<AnAuditStoreOnTheBus>
{
    private async Task<(GatehouseUser User, string Token)> SignedInAsync(string prefix, params string[] roles)
    {
        var user = await stack.CreateUserAsync(prefix);
        var password = $"the {prefix}'s own password";
        await stack.SetPasswordAsync(user, password);
        if (roles.Length > 0)
        {
            (await stack.AuthenticationAdmin.PutAsJsonAsync($"api/users/{user.Name}/roles", new { roles })).EnsureSuccessStatusCode();
        }

        using var anonymous = new HttpClient { BaseAddress = stack.AuthenticationAdmin.BaseAddress };
        return (user, await TokensFromAuthentication.SignInAsync(anonymous, user.Name, password));
    }

    private static HttpClient As(HttpClient service, string token) =>
        new() { BaseAddress = service.BaseAddress, DefaultRequestHeaders = { Authorization = new AuthenticationHeaderValue("Bearer", token) } };

    [Fact]
    public async Task Should_raise_refused_admin_change_for_a_user_calling_the_admin_apis_and_self_approval_for_an_admin_giving_themselves_approver()
    {
        var (intruder, intruderToken) = await SignedInAsync("intruder");
        var (rogue, rogueToken) = await SignedInAsync("rogue", "admin", "user");
        using var intruderOnAuthorization = As(stack.AuthorizationAdmin, intruderToken);
        using var intruderOnAuthentication = As(stack.AuthenticationAdmin, intruderToken);
        using var rogueOnAuthentication = As(stack.AuthenticationAdmin, rogueToken);

        var grant = await intruderOnAuthorization.PostAsJsonAsync("api/grants",
            new { subjectKind = "User", subject = intruder.Name, targetNames = new[] { "web01" }, logins = new[] { "root" } });
        var roles = await intruderOnAuthentication.PutAsJsonAsync($"api/users/{intruder.Name}/roles", new { roles = new[] { "admin" } });
        var promoted = await rogueOnAuthentication.PutAsJsonAsync($"api/users/{rogue.Name}/roles", new { roles = new[] { "admin", "approver", "user" } });

        Assert.Equal((HttpStatusCode.Forbidden, HttpStatusCode.Forbidden, true), (grant.StatusCode, roles.StatusCode, promoted.IsSuccessStatusCode));
        var refusal = Assert.Single(await stack.AuthenticationEventsAsync(e => e is AccountChangeRefused r && r.Actor == intruder.Name));
        Assert.Equal(("PUT /api/users/{name}/roles", ChangeRefusalReason.Forbidden), (((AccountChangeRefused)refusal).Change, ((AccountChangeRefused)refusal).Reason));
        var refused = await audit.AlertAsync(DetectionRules.RefusedAdminChange, intruder.Name);
        Assert.StartsWith($"{intruder.Name} tried an administrative change without the admin role, refused: ", refused.Title);
        var self = await audit.AlertAsync(DetectionRules.SelfApproval, rogue.Name);
        Assert.Equal($"{rogue.Name} gave themselves the API role approver", self.Title);
    }
}
