using System.Net.Http.Json;
using System.Text.Json;
using Gatehouse.Console.Tests.Support;
using Gatehouse.EndToEnd.Tests.Support;

namespace Gatehouse.Console.Tests.Administration;

[Collection(ConsoleCollection.Name)]
public sealed class When_an_administrator_grants_access(ConsoleStack stack)
{
    [Fact]
    public async Task Should_issue_a_grant_with_the_CLI_options_and_revoke_it()
    {
        var (_, page) = await Administration.SignedInAdministratorAsync(stack);
        var user = await stack.Services.CreateUserAsync("granted");
        var target = await stack.Services.RegisterTargetAsync("granting", storeCredential: false);

        await page.GotoAsync("/administration/grants");
        await page.SelectOptionAsync("#issue-grant select[name='Issue.SubjectKind']", "User");
        await page.FillAsync("#issue-grant input[name='Issue.Subject']", user.Name);
        await page.FillAsync("#issue-grant input[name='Issue.TargetNames']", target);
        await page.FillAsync("#issue-grant input[name='Issue.Logins']", SshTarget.Login);
        await page.FillAsync("#issue-grant input[name='Issue.TimeWindows']", "mon, tue, wed, thu, fri");
        await page.FillAsync("#issue-grant input[name='Issue.WindowFrom']", "08:00");
        await page.FillAsync("#issue-grant input[name='Issue.WindowTo']", "18:00");
        await page.FillAsync("#issue-grant input[name='Issue.WindowTimeZone']", "Europe/Berlin");
        await page.FillAsync("#issue-grant input[name='Issue.SourceCidrs']", "10.0.0.0/8");
        await page.FillAsync("#issue-grant input[name='Issue.MaxSessionLength']", "90");
        await page.CheckAsync("#issue-grant input[name='Issue.MfaRequired']");
        await page.CheckAsync("#issue-grant input[name='Issue.PortForwardingAllowed']");
        await page.FillAsync("#issue-grant input[name='Issue.ForwardingDestinations']", "127.0.0.1:5432");
        await page.FillAsync("#issue-grant input[name='Issue.RemoteForwardingPorts']", "8080, 9000-9009");
        await page.ClickAsync("#issue-grant button[type=submit]");
        await page.WaitForURLAsync("**/administration/grants?done=issued");

        var grants = await stack.Services.AuthorizationAdmin.GetFromJsonAsync<JsonElement>($"api/grants?subject={user.Name}");
        var grant = Assert.Single(grants.EnumerateArray());
        Assert.Equal(target, grant.GetProperty("targetNames")[0].GetString());
        Assert.Equal("Europe/Berlin", grant.GetProperty("timeWindows")[0].GetProperty("timeZone").GetString());
        Assert.Equal(5, grant.GetProperty("timeWindows")[0].GetProperty("days").GetArrayLength());
        Assert.Equal("10.0.0.0/8", grant.GetProperty("sourceCidrs")[0].GetString());
        Assert.Equal(TimeSpan.FromMinutes(90), TimeSpan.Parse(grant.GetProperty("maxSessionLength").GetString()!));
        Assert.True(grant.GetProperty("mfaRequired").GetBoolean());
        Assert.Equal(["8080", "9000-9009"], grant.GetProperty("remoteForwardingPorts").EnumerateArray().Select(p => p.GetString()));
        var id = grant.GetProperty("id").GetGuid();
        await ConsoleStack.ScreenshotAsync(page, "administration-grants");

        var row = $"#grants tr[data-grant='{id}']";
        var shown = await page.InnerTextAsync(row);
        Assert.Contains("port forwarding 127.0.0.1:5432", shown);
        Assert.Contains("remote forward ports 8080, 9000-9009", shown);
        await page.FillAsync($"{row} input[name='Revoke.Reason']", "left the team");
        await page.ClickAsync($"{row} button:text('Revoke')");
        await page.WaitForURLAsync("**/administration/grants?done=revoked");
        Assert.Equal(0, await page.Locator(row).CountAsync());

        var revoked = await stack.Services.AuthorizationAdmin.GetFromJsonAsync<JsonElement>($"api/grants/{id}");
        Assert.Equal("left the team", revoked.GetProperty("revocationReason").GetString());
        Assert.Equal(JsonValueKind.String, revoked.GetProperty("revokedBy").ValueKind);
    }

    [Fact]
    public async Task Should_register_a_target_define_a_role_and_set_a_command_policy()
    {
        var (_, page) = await Administration.SignedInAdministratorAsync(stack);
        var member = await stack.Services.CreateUserAsync("member");
        var suffix = Guid.NewGuid().ToString("N")[..8];

        await page.GotoAsync("/administration/targets");
        await page.FillAsync("#register-target input[name='Register.Name']", $"web{suffix}");
        await page.FillAsync("#register-target input[name='Register.Address']", "127.0.0.1");
        await page.FillAsync("#register-target input[name='Register.Port']", "2022");
        await page.FillAsync("#register-target input[name='Register.Labels']", $"env=console, team=t{suffix}");
        await page.FillAsync("#register-target input[name='Register.Logins']", "deploy, backup");
        await page.ClickAsync("#register-target button[type=submit]");
        await page.WaitForURLAsync("**/administration/targets?done=registered");
        await page.ClickAsync($"#targets tr[data-target='web{suffix}'] a");
        await page.FillAsync("#change-target input[name='Change.Labels']", $"env=console, team=t{suffix}, tier=front");
        await page.ClickAsync("#change-target button[type=submit]");
        await page.WaitForURLAsync("**?done=changed");
        var target = await stack.Services.AuthorizationAdmin.GetFromJsonAsync<JsonElement>($"api/targets/web{suffix}");
        Assert.Equal("front", target.GetProperty("labels").GetProperty("tier").GetString());
        Assert.Equal(["backup", "deploy"], target.GetProperty("logins").EnumerateArray().Select(l => l.GetString()).Order());

        await page.GotoAsync("/administration/roles");
        await page.FillAsync("#define-role input[name='Define.Name']", $"dba{suffix}");
        await page.FillAsync("#define-role input[name='Define.Description']", "database administrators");
        await page.ClickAsync("#define-role button[type=submit]");
        await page.WaitForURLAsync("**?done=defined");
        await page.FillAsync($"#roles tr[data-role='dba{suffix}'] input[name='Member.User']", member.Name);
        await page.ClickAsync($"#roles tr[data-role='dba{suffix}'] .add-member button");
        await page.WaitForURLAsync("**?done=member-added");
        var role = await stack.Services.AuthorizationAdmin.GetFromJsonAsync<JsonElement>($"api/roles/dba{suffix}");
        Assert.Equal(member.Name, role.GetProperty("members")[0].GetString());

        await page.GotoAsync("/administration/command-policies");
        await page.FillAsync("#set-command-policy input[name='Set.Name']", $"no-shutdown-{suffix}");
        await page.FillAsync("#set-command-policy input[name='Set.Pattern']", "shutdown*");
        await page.SelectOptionAsync("#set-command-policy select[name='Set.Action']", "Deny");
        await page.FillAsync("#set-command-policy input[name='Set.TargetLabels']", $"team=t{suffix}");
        await page.FillAsync("#set-command-policy input[name='Set.Roles']", $"dba{suffix}");
        await page.ClickAsync("#set-command-policy button[type=submit]");
        await page.WaitForURLAsync("**?done=set");
        Assert.Contains("shutdown*", await page.InnerTextAsync($"#command-policies tr[data-policy='no-shutdown-{suffix}']"));
        await ConsoleStack.ScreenshotAsync(page, "administration-command-policies");
        await page.ClickAsync($"#command-policies tr[data-policy='no-shutdown-{suffix}'] button:text('Remove')");
        await page.WaitForURLAsync("**?done=removed");
        Assert.Equal(0, await page.Locator($"#command-policies tr[data-policy='no-shutdown-{suffix}']").CountAsync());

        await page.GotoAsync($"/administration/targets/web{suffix}");
        await page.FillAsync("#remove-target input[name='Remove.Reason']", "decommissioned");
        await page.ClickAsync("#remove-target button[type=submit]");
        await page.WaitForURLAsync("**/administration/targets");
        Assert.Equal(0, await page.Locator($"#targets tr[data-target='web{suffix}']").CountAsync());
    }
}
