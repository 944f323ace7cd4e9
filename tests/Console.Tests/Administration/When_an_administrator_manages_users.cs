using System.Net.Http.Json;
using System.Text.Json;
using Gatehouse.Console.Tests.Support;
using Gatehouse.EndToEnd.Tests.Support;

namespace Gatehouse.Console.Tests.Administration;

[Collection(ConsoleCollection.Name)]
public sealed class When_an_administrator_manages_users(ConsoleStack stack)
{
    [Fact]
    public async Task Should_create_a_user_give_roles_add_a_key_and_disable_them_through_the_API()
    {
        var (_, page) = await Administration.SignedInAdministratorAsync(stack);
        var name = $"made{Guid.NewGuid():N}"[..12];

        await page.GotoAsync("/administration/users");
        await page.FillAsync("#create-user input[name='Create.UserName']", name);
        await page.CheckAsync("#create-user input[name='Create.Roles'][value='user']");
        await page.ClickAsync("#create-user button[type=submit]");
        await page.WaitForURLAsync("**/administration/users?done=created");
        Assert.Contains(name, await page.InnerTextAsync("#users"));

        await page.ClickAsync($"#users tr[data-user='{name}'] a");
        await page.CheckAsync("#user-roles-form input[value='approver']");
        await page.ClickAsync("#user-roles-form button[type=submit]");
        await page.WaitForURLAsync("**?done=roles");
        Assert.Equal("approver, user", await page.InnerTextAsync("#user-roles"));

        var keyPath = await Processes.KeyPairAsync(stack.Services.Work, $"{name}_key");
        var publicKey = (await File.ReadAllTextAsync(keyPath + ".pub")).Trim();
        await page.FillAsync("#add-key textarea[name='AddKey.PublicKey']", publicKey);
        await page.ClickAsync("#add-key button[type=submit]");
        await page.WaitForURLAsync("**?done=key-added");
        var fingerprint = (await Processes.RunAsync("ssh-keygen", ["-l", "-E", "sha256", "-f", keyPath + ".pub"])).Text.Split(' ')[1];
        Assert.Contains(fingerprint, await page.InnerTextAsync("#keys"));

        await page.ClickAsync("#user-state-actions button:text('Disable')");
        await page.WaitForURLAsync("**?done=disabled");
        Assert.Equal("disabled", await page.InnerTextAsync("#user-state"));
        await ConsoleStack.ScreenshotAsync(page, "administration-user");

        // The Authentication service made every change, under the administrator's name.
        var user = await Administration.UserAsync(stack, name);
        Assert.True(user.GetProperty("disabled").GetBoolean());
        Assert.Equal(["approver", "user"], user.GetProperty("roles").EnumerateArray().Select(r => r.GetString()).Order());
        Assert.Equal(fingerprint, user.GetProperty("keys")[0].GetProperty("fingerprint").GetString());

        await page.ClickAsync("#user-state-actions button:text('Enable')");
        await page.WaitForURLAsync("**?done=enabled");
        await page.ClickAsync("#keys button:text('Remove')");
        await page.WaitForURLAsync("**?done=key-removed");
        Assert.Equal(0, (await Administration.UserAsync(stack, name)).GetProperty("keys").GetArrayLength());
    }

    [Fact]
    public async Task Should_show_the_validation_message_of_the_API_next_to_the_field()
    {
        var (_, page) = await Administration.SignedInAdministratorAsync(stack);
        const string invalid = "Not a valid name!";
        using var direct = await stack.Services.AuthenticationAdmin.PostAsJsonAsync("api/users", new { userName = invalid, roles = new[] { "user" } });
        var apiMessage = (await direct.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("userName")[0].GetString();

        await page.GotoAsync("/administration/users");
        await page.FillAsync("#create-user input[name='Create.UserName']", invalid);
        var response = await page.RunAndWaitForResponseAsync(() => page.ClickAsync("#create-user button[type=submit]"),
            r => r.Request.Method == "POST");

        Assert.Equal(400, response.Status);
        Assert.Equal(apiMessage, await Administration.FieldErrorAsync(page, "Create.UserName"));
        Assert.Equal(invalid, await page.InputValueAsync("#create-user input[name='Create.UserName']"));
        await ConsoleStack.ScreenshotAsync(page, "administration-validation");
    }

    [Fact]
    public async Task Should_unlock_a_user_and_remove_a_lost_authenticator()
    {
        var (_, page) = await Administration.SignedInAdministratorAsync(stack);
        var person = await stack.Services.CreateUserAsync("mfa", withMfa: true);

        await page.GotoAsync($"/administration/users/{person.Name}");
        await page.ClickAsync("#user-state-actions button:text('Unlock')");
        await page.WaitForURLAsync("**?done=unlocked");
        await page.ClickAsync("#user-state-actions button:text('Remove authenticator')");
        await page.WaitForURLAsync("**?done=mfa-reset");

        Assert.False((await Administration.UserAsync(stack, person.Name)).GetProperty("mfaEnrolled").GetBoolean());
    }
}
