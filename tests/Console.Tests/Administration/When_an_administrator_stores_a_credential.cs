using System.Net.Http.Json;
using System.Text.Json;
using Gatehouse.Console.Tests.Support;
using Gatehouse.EndToEnd.Tests.Support;

namespace Gatehouse.Console.Tests.Administration;

[Collection(ConsoleCollection.Name)]
public sealed class When_an_administrator_stores_a_credential(ConsoleStack stack)
{
    [Fact]
    public async Task Should_store_it_write_only_and_never_show_it_back()
    {
        var (_, page) = await Administration.SignedInAdministratorAsync(stack);
        var target = await stack.Services.RegisterTargetAsync("vaulted", storeCredential: false);
        var secret = $"vault-secret-{Guid.NewGuid():N}";

        // Refused first (a login the target does not declare): the page shows why, and not the secret.
        await page.GotoAsync("/administration/vault");
        await page.FillAsync("#store-credential input[name='Store.Target']", target);
        await page.FillAsync("#store-credential input[name='Store.Login']", "nobody");
        await page.FillAsync("#store-credential textarea[name='Store.Secret']", secret);
        var refused = await page.RunAndWaitForResponseAsync(() => page.ClickAsync("#store-credential button[type=submit]"),
            r => r.Request.Method == "POST");
        Assert.Equal(404, refused.Status);
        Assert.DoesNotContain(secret, await refused.TextAsync());
        Assert.NotEmpty(await page.InnerTextAsync("span.field-error[data-valmsg-for='Store']"));
        Assert.Equal("", await page.InputValueAsync("#store-credential textarea[name='Store.Secret']"));

        await page.FillAsync("#store-credential input[name='Store.Login']", SshTarget.Login);
        await page.FillAsync("#store-credential textarea[name='Store.Secret']", secret);
        var stored = await page.RunAndWaitForResponseAsync(() => page.ClickAsync("#store-credential button[type=submit]"),
            r => r.Url.EndsWith("/administration/vault?done=stored"));
        Assert.DoesNotContain(secret, await stored.TextAsync());
        await page.WaitForURLAsync("**/administration/vault?done=stored");
        var row = await page.InnerTextAsync($"#vault tr[data-credential='{SshTarget.Login}@{target}']");
        Assert.Contains("Password", row);
        Assert.Contains(stack.Services.ActiveVaultKey, row);
        await ConsoleStack.ScreenshotAsync(page, "administration-vault");

        var entries = await stack.Services.BrokerAdmin.GetFromJsonAsync<JsonElement>("api/vault/credentials");
        Assert.Contains(entries.EnumerateArray(), e => e.GetProperty("target").GetString() == target);
    }
}
