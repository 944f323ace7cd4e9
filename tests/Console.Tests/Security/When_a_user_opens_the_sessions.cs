using Gatehouse.Console.Tests.Support;
using Gatehouse.EndToEnd.Tests.Support;

namespace Gatehouse.Console.Tests.Security;

[Collection(ConsoleCollection.Name)]
public sealed class When_a_user_opens_the_sessions(ConsoleStack stack)
{
    [Fact]
    public async Task Should_see_only_their_own_sessions_and_recordings()
    {
        var target = await stack.Services.RegisterTargetAsync("own");
        // Key-only users, so the test's ssh needs no code; they sign in to the console with their password.
        var owner = await stack.PersonAsync("owner", "user", withMfa: false);
        var other = await stack.PersonAsync("other", "user", withMfa: false);
        foreach (var (user, word) in new[] { (owner, "mine"), (other, "theirs") })
        {
            await stack.Services.GrantAsync(user, target);
            var run = await OpenSsh.SshAsync(stack.Services, user, target, $"echo {word}-$((20+22))");
            Assert.Equal($"{word}-42\n", run.Text);
        }

        var analyst = await stack.PersonAsync("looks", "soc-analyst");
        var soc = await stack.PageAsync();
        await ConsoleStack.SignInAsync(soc, analyst);
        await soc.WaitForURLAsync("**/alerts");
        await Pages.OpenUntilAsync(soc, $"/sessions?user={other.Name}", "#sessions tbody tr a");
        var othersSession = await soc.GetAttributeAsync("#sessions tbody tr a", "href");

        var page = await stack.PageAsync();
        await ConsoleStack.SignInAsync(page, owner);
        await page.WaitForURLAsync(stack.ConsoleUrl.ToString());
        await Pages.OpenUntilAsync(page, "/sessions", "#sessions tbody tr a");
        var listed = await page.InnerTextAsync("#sessions tbody");
        Assert.Contains(owner.Name, listed);
        Assert.DoesNotContain(other.Name, listed);
        Assert.Equal(1, await page.Locator("#sessions tbody tr").CountAsync());
        // Filters are the SOC's: a user asking for someone else's sessions still gets their own.
        await page.GotoAsync($"/sessions?user={other.Name}");
        Assert.DoesNotContain(other.Name, await page.InnerTextAsync("main"));
        await ConsoleStack.ScreenshotAsync(page, "own-sessions");

        await page.ClickAsync("#sessions tbody tr a");
        await Pages.OpenUntilAsync(page, page.Url, "#player");
        await page.ClickAsync("#player .ap-play-button");
        await Pages.WaitForPlayerTextAsync(page, "mine-42");

        var response = await page.GotoAsync(othersSession!);
        Assert.Equal(404, response!.Status);
        response = await page.GotoAsync(othersSession + "/recording");
        Assert.Equal(404, response!.Status);
    }
}
