using System.Net;
using System.Net.Http.Json;
using Gatehouse.EndToEnd.Tests.Support;

namespace Gatehouse.EndToEnd.Tests.Refusing;

/// <summary>
/// The gateway relays the API roles Authentication vouched for at login; they reach a grant that names an API role and
/// never one to an access role that merely shares the name.
/// </summary>
[Collection(GatehouseCollection.Name)]
public sealed class When_a_grant_names_an_API_role(GatehouseStack stack)
{
    [Fact]
    public async Task Should_let_in_holders_of_the_API_role_and_not_them_through_an_access_role_of_that_name()
    {
        var approver = await stack.CreateUserAsync("apirole");
        var other = await stack.CreateUserAsync("noapirole");
        (await stack.AuthenticationAdmin.PutAsJsonAsync($"api/users/{approver.Name}/roles", new { roles = new[] { "user", "approver" } }))
            .EnsureSuccessStatusCode();
        var viaApiRole = await stack.RegisterTargetAsync("apir");
        var viaAccessRole = await stack.RegisterTargetAsync("accr");
        // An access role named like the API role, without members (another test may have defined it: the same role).
        var defined = await stack.AuthorizationAdmin.PostAsJsonAsync("api/roles", new { name = "approver", description = "not the API role" });
        Assert.True(defined.IsSuccessStatusCode || defined.StatusCode == HttpStatusCode.Conflict, $"{defined.StatusCode}");
        await GrantAsync("ApiRole", "approver", viaApiRole);
        await GrantAsync("Role", "approver", viaAccessRole);

        var allowed = await OpenSsh.SshAsync(stack, approver, viaApiRole, "echo api role ok");
        var notHolding = await OpenSsh.SshAsync(stack, other, viaApiRole, "echo should-not-run");
        var notMember = await OpenSsh.SshAsync(stack, approver, viaAccessRole, "echo should-not-run");

        Assert.True(allowed.ExitCode == 0, $"exit {allowed.ExitCode}: {allowed.Error}");
        Assert.Equal("api role ok\n", allowed.Text);
        Assert.NotEqual(0, notHolding.ExitCode);
        Assert.Contains($"access to {viaApiRole} as {SshTarget.Login} is refused", notHolding.Error);
        Assert.NotEqual(0, notMember.ExitCode);
        Assert.Contains($"access to {viaAccessRole} as {SshTarget.Login} is refused", notMember.Error);
        Assert.DoesNotContain("should-not-run", notHolding.Text + notMember.Text);
    }

    private async Task GrantAsync(string subjectKind, string subject, string target) =>
        (await stack.AuthorizationAdmin.PostAsJsonAsync("api/grants", new
        {
            subjectKind, subject, targetNames = new[] { target }, logins = new[] { SshTarget.Login },
        }, GatehouseStack.Json)).EnsureSuccessStatusCode();
}
