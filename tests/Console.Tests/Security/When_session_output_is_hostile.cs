using Gatehouse.Console.Tests.Support;
using Gatehouse.EndToEnd.Tests.Support;

namespace Gatehouse.Console.Tests.Security;

[Collection(ConsoleCollection.Name)]
public sealed class When_session_output_is_hostile(ConsoleStack stack)
{
    [Fact]
    public async Task Should_show_markup_and_escape_sequences_as_text()
    {
        var user = await stack.Services.CreateUserAsync("hostile");
        var target = await stack.Services.RegisterTargetAsync("hostile");
        await stack.Services.GrantAsync(user, target);
        const string line = "echo '<script>window.pwned=1</script><img src=x onerror=window.pwned=2>' $'\\e[31m'red-$((3+4))$'\\e[0m' $'\\e]0;title\\a'";
        await using (var ssh = InteractiveSsh.Start(stack.Services, user, target))
        {
            await ssh.TypeAsync(line + "\r");
            await ssh.WaitForAsync("red-7");
            await ssh.TypeAsync("exit\r");
            await ssh.WaitForExitAsync();
        }

        var analyst = await stack.PersonAsync("escaping", "soc-analyst");
        var page = await stack.PageAsync();
        await ConsoleStack.SignInAsync(page, analyst);
        await page.WaitForURLAsync("**/alerts");
        await Pages.OpenUntilAsync(page, $"/sessions?user={user.Name}", "#sessions tbody tr a");
        await page.ClickAsync("#sessions tbody tr a");
        await page.WaitForSelectorAsync("#commands");
        await Pages.OpenUntilAsync(page, page.Url, "#player");

        Assert.Contains("<script>window.pwned=1</script><img src=x onerror=window.pwned=2>", await page.InnerTextAsync("#commands"));
        await page.ClickAsync("#commands a.seek >> text=exit");
        await Pages.WaitForPlayerTextAsync(page, "<script>window.pwned=1</script>");
        Assert.Contains("red-7", await Pages.PlayerTextAsync(page));
        await ConsoleStack.ScreenshotAsync(page, "session-hostile-output");

        Assert.True(await page.EvaluateAsync<bool>("() => window.pwned === undefined"));
        Assert.Equal(0, await page.Locator("main img").CountAsync());
        Assert.Equal(2, await page.Locator("script").CountAsync());
    }
}
