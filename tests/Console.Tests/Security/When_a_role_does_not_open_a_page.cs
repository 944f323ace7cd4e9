using Gatehouse.Console.Tests.Support;

namespace Gatehouse.Console.Tests.Security;

[Collection(ConsoleCollection.Name)]
public sealed class When_a_role_does_not_open_a_page(ConsoleStack stack)
{
    [Fact]
    public async Task Should_refuse_an_analyst_the_administration_pages_on_the_server()
    {
        var analyst = await stack.PersonAsync("nonadmin", "soc-analyst");
        var page = await stack.PageAsync();
        await ConsoleStack.SignInAsync(page, analyst);
        await page.WaitForURLAsync("**/alerts");
        Assert.Equal(0, await page.Locator("a[href='/administration/users']").CountAsync());

        var response = await page.GotoAsync("/administration/users");
        Assert.Equal(403, response!.Status);
        Assert.Equal(0, await page.Locator("#users").CountAsync());
        await ConsoleStack.ScreenshotAsync(page, "administration-refused");
    }

    [Fact]
    public async Task Should_refuse_a_user_the_SOC_and_administration_pages_on_the_server()
    {
        var user = await stack.PersonAsync("plain", "user");
        var page = await stack.PageAsync();
        await ConsoleStack.SignInAsync(page, user);
        await page.WaitForURLAsync(stack.ConsoleUrl.ToString());

        foreach (var path in new[] { "/alerts", $"/alerts/{Guid.NewGuid()}", "/administration/users" })
        {
            var response = await page.GotoAsync(path);
            Assert.True(response!.Status == 403, $"{path} answered {response.Status}");
        }
    }

    [Fact]
    public async Task Should_show_an_administrator_the_users_without_any_secret()
    {
        var admin = await stack.PersonAsync("admin", "admin");
        var page = await stack.PageAsync();
        await ConsoleStack.SignInAsync(page, admin);
        await page.WaitForURLAsync("**/alerts");
        var response = await page.GotoAsync("/administration/users");
        Assert.Equal(200, response!.Status);
        var shown = await page.InnerTextAsync("#users");
        Assert.Contains(admin.Name, shown);
        Assert.Contains("enrolled", shown);
        var html = await page.ContentAsync();
        Assert.DoesNotContain(OtpNet.Base32Encoding.ToString(admin.TotpSecret!), html);
        Assert.DoesNotContain("eyJ", html);
        await ConsoleStack.ScreenshotAsync(page, "administration-users");
    }
}
