using System.Text.Json;
using Gatehouse.Console.Tests.Support;
using Gatehouse.EndToEnd.Tests.Support;

namespace Gatehouse.Console.Tests.Audit;

[Collection(ConsoleCollection.Name)]
public sealed class When_an_analyst_searches_and_exports_the_audit_trail(ConsoleStack stack)
{
    [Fact]
    public async Task Should_filter_page_and_export_the_search_as_json_lines_and_ocsf()
    {
        var user = await stack.Services.CreateUserAsync("searchable");
        var target = await stack.Services.RegisterTargetAsync("searchable");
        await stack.Services.GrantAsync(user, target);
        await using (var ssh = InteractiveSsh.Start(stack.Services, user, target))
        {
            await ssh.TypeAsync("echo audited-$((8+8))\r");
            await ssh.WaitForAsync("audited-16");
            await ssh.TypeAsync("exit\r");
            await ssh.WaitForExitAsync();
        }

        var analyst = await stack.PersonAsync("auditsearch", "soc-analyst");
        var page = await stack.PageAsync();
        await ConsoleStack.SignInAsync(page, analyst);
        await page.WaitForURLAsync("**/alerts");

        // The form's filters are the API's: the user and an event type narrow to that session's start.
        await page.GotoAsync("/audit");
        await page.FillAsync("#search input[name=user]", user.Name);
        await page.FillAsync("#search input[name=target]", target);
        await page.SelectOptionAsync("#search select[name=type]", "CommandExecuted");
        await page.FillAsync("#search input[name=q]", "audited-");
        await page.ClickAsync("#search button");
        await Pages.OpenUntilAsync(page, page.Url, "#events tr.event-CommandExecuted");
        Assert.Equal(1, await page.Locator("#events tbody tr").CountAsync());
        Assert.Contains("echo audited-$((8+8))", await page.InnerTextAsync("#events"));
        await ConsoleStack.ScreenshotAsync(page, "audit-search");
        await page.GotoAsync($"/audit?user={user.Name}&type=CommandExecuted&q=never-typed");
        Assert.Equal(0, await page.Locator("#events tbody tr").CountAsync());

        // The API's refusal of a bad filter is shown as it gave it.
        await page.GotoAsync($"/audit?user={user.Name}&source=not-an-address");
        Assert.Contains("source must be an IP address", await page.InnerTextAsync("p.error"));

        // Two a page: following the next-page links gives every event of the search once, in order.
        await Pages.OpenUntilAsync(page, $"/audit?user={user.Name}&limit=1000", "#events tr.event-SessionEnded");
        var all = await page.Locator("#events tbody tr").AllInnerTextsAsync();
        var paged = new List<string>();
        await page.GotoAsync($"/audit?user={user.Name}&limit=2");
        for (var pages = 0; ; pages++)
        {
            Assert.True(pages < 50, "the next-page links never ended");
            var rows = await page.Locator("#events tbody tr").AllInnerTextsAsync();
            Assert.InRange(rows.Count, 1, 2);
            paged.AddRange(rows);
            if (await page.Locator("#next").CountAsync() == 0)
            {
                break;
            }

            await page.ClickAsync("#next");
            await page.WaitForSelectorAsync("#first");
        }

        Assert.Equal(all, paged);

        // The exports are the same search, every event of it, downloaded through the browser.
        await page.GotoAsync($"/audit?user={user.Name}");
        var jsonl = await DownloadLinesAsync(page, "#export-jsonl");
        Assert.Equal(all.Count, jsonl.Count);
        Assert.All(jsonl, e => Assert.Equal(user.Name, e.GetProperty("userName").GetString()));
        Assert.Contains(jsonl, e => e.GetProperty("type").GetString() == "SessionStarted");
        var ocsf = await DownloadLinesAsync(page, "#export-ocsf");
        Assert.Equal(all.Count, ocsf.Count);
        Assert.All(ocsf, e => Assert.True(e.GetProperty("class_uid").GetInt32() > 0));
        Assert.Contains(ocsf, e => e.GetProperty("class_uid").GetInt32() == 4007);
    }

    private static async Task<List<JsonElement>> DownloadLinesAsync(Microsoft.Playwright.IPage page, string link)
    {
        var download = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync(link));
        var lines = await File.ReadAllLinesAsync((await download.PathAsync())!);
        return lines.Where(line => line.Length > 0).Select(line => JsonDocument.Parse(line).RootElement.Clone()).ToList();
    }
}
