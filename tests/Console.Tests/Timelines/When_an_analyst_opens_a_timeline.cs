using Gatehouse.Console.Tests.Support;
using Gatehouse.EndToEnd.Tests.Support;

namespace Gatehouse.Console.Tests.Timelines;

[Collection(ConsoleCollection.Name)]
public sealed class When_an_analyst_opens_a_timeline(ConsoleStack stack)
{
    [Fact]
    public async Task Should_show_the_users_and_the_targets_logins_sources_decisions_and_sessions_a_page_at_a_time()
    {
        var user = await stack.Services.CreateUserAsync("historic");
        var target = await stack.Services.RegisterTargetAsync("historic");
        await stack.Services.GrantAsync(user, target);
        await using (var ssh = InteractiveSsh.Start(stack.Services, user, target))
        {
            await ssh.TypeAsync("echo history-$((7+7))\r");
            await ssh.WaitForAsync("history-14");
            await ssh.TypeAsync("exit\r");
            await ssh.WaitForExitAsync();
        }

        var analyst = await stack.PersonAsync("timelines", "soc-analyst");
        var page = await stack.PageAsync();
        await ConsoleStack.SignInAsync(page, analyst);
        await page.WaitForURLAsync("**/alerts");

        // Named in the form, the user's timeline opens; the session's end is its newest event once the store has it.
        await page.GotoAsync("/timelines");
        await page.FillAsync("#user-timeline input[name=user]", user.Name);
        await page.ClickAsync("#user-timeline button");
        await page.WaitForURLAsync($"**/timelines/users/{user.Name}");
        await Pages.OpenUntilAsync(page, $"/timelines/users/{user.Name}?limit=1000", "#events tr.event-SessionEnded");
        await Pages.OpenUntilAsync(page, $"/timelines/users/{user.Name}?limit=1000", "#sources tbody tr");
        var everything = await page.InnerTextAsync("#events");
        foreach (var kind in new[] { "LoginSucceeded", "AccessGranted", "SessionStarted", "CommandExecuted", "SessionEnded" })
        {
            Assert.Contains(kind, everything);
        }

        Assert.Contains("127.0.0.1", await page.InnerTextAsync("#sources"));
        var all = await RowsAsync(page);
        await ConsoleStack.ScreenshotAsync(page, "timeline-user");

        // Three a page, newest first: the pages follow one another without a gap or an overlap.
        var paged = new List<string>();
        await page.GotoAsync($"/timelines/users/{user.Name}?limit=3");
        for (var pages = 0; ; pages++)
        {
            Assert.True(pages < 50, "the older-events links never ended");
            var rows = await RowsAsync(page);
            Assert.InRange(rows.Count, 1, 3);
            paged.AddRange(rows);
            if (await page.Locator("#older").CountAsync() == 0)
            {
                break;
            }

            await page.ClickAsync("#older");
            await page.WaitForSelectorAsync("#newest");
        }

        // Reading the timeline is itself recorded about the analyst, not the user: the user's pages stay what they were.
        Assert.Equal(all, paged);
        Assert.True(paged.Count > 3);

        await page.GotoAsync("/timelines");
        await page.FillAsync("#target-timeline input[name=target]", target);
        await page.ClickAsync("#target-timeline button");
        await page.WaitForURLAsync($"**/timelines/targets/{target}");
        await Pages.OpenUntilAsync(page, $"/timelines/targets/{target}", "#events tr.event-SessionEnded");
        await Pages.OpenUntilAsync(page, $"/timelines/targets/{target}", $"#history:has-text('{user.Name}')");
        Assert.Contains("SessionStarted", await page.InnerTextAsync("#events"));
        await ConsoleStack.ScreenshotAsync(page, "timeline-target");
    }

    private static async Task<List<string>> RowsAsync(Microsoft.Playwright.IPage page) =>
        (await page.Locator("#events tbody tr").AllInnerTextsAsync()).ToList();
}
