using System.Diagnostics;
using Gatehouse.Console.Tests.Support;
using Gatehouse.Contracts;
using Gatehouse.EndToEnd.Tests.Support;
using Gatehouse.TestSupport;
using Gatehouse.SessionBroker.Sessions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Gatehouse.Console.Tests.Live;

[Collection(ConsoleCollection.Name)]
public sealed class When_an_analyst_watches_a_live_session(ConsoleStack stack)
{
    [Fact]
    public async Task Should_show_what_the_user_sees_within_a_second_and_end_it_with_the_reason()
    {
        var analyst = await stack.PersonAsync("watcher", "soc-analyst");
        var page = await stack.PageAsync();
        await ConsoleStack.SignInAsync(page, analyst);
        await page.WaitForURLAsync("**/alerts");
        var (user, target, _) = await stack.Services.AUserWithAGrantAsync("watched", "live");
        await using var ssh = InteractiveSsh.Start(stack.Services, user, target);
        await ssh.TypeAsync("echo ready-$((1+1))\r");
        await ssh.WaitForAsync("ready-2");

        await page.GotoAsync("/live");
        var row = page.Locator("#live-sessions tbody tr", new() { HasText = user.Name });
        Assert.True(await row.CountAsync() == 1, await page.InnerTextAsync("main"));
        Assert.Contains(target, await row.InnerTextAsync());
        await ConsoleStack.ScreenshotAsync(page, "live-sessions");
        var session = (await row.Locator("a").GetAttributeAsync("href"))!["/live/".Length..];
        await row.Locator("a").ClickAsync();
        await WatchingAsync(page);

        // The analyst sees the text within a second of the user seeing it.
        var clock = Stopwatch.StartNew();
        await ssh.TypeAsync("echo watched-$((6*7))\r");
        var userSaw = Task.Run(async () =>
        {
            await ssh.WaitForAsync("watched-42");
            return clock.Elapsed;
        });
        await page.WaitForFunctionAsync("() => document.querySelector('#live-terminal .xterm-rows').innerText.includes('watched-42')",
            null, new PageWaitForFunctionOptions { PollingInterval = 20, Timeout = 30_000 });
        var analystSaw = clock.Elapsed;
        var userSawAt = await userSaw;
        Assert.True(analystSaw - userSawAt < TimeSpan.FromSeconds(1), $"the user saw it after {userSawAt}, the analyst after {analystSaw}");
        // Read-only: keys pressed on the page go nowhere.
        await page.Locator("#live-terminal").ClickAsync();
        await page.Keyboard.TypeAsync("echo typed-in-the-browser\r");
        await ssh.TypeAsync("echo still-$((3*3))\r");
        await page.WaitForFunctionAsync("() => document.querySelector('#live-terminal .xterm-rows').innerText.includes('still-9')");
        Assert.DoesNotContain("typed-in-the-browser", ssh.Output);
        await ConsoleStack.ScreenshotAsync(page, "live-session");
        // The gateway recorded the watch under the analyst's name before it showed a byte.
        var reads = await stack.Services.BrokerEventsAsync(e => e is AuditTrailRead read && read.Reader == analyst.Name);
        Assert.Contains(reads.Cast<AuditTrailRead>(), read => read.Request == $"/api/sessions/{session}/output" && read.StatusCode == 200);

        // A forged form (the signed-in cookie, no antiforgery token) ends nothing.
        var forged = await page.APIRequest.PostAsync($"/live/{session}?handler=Terminate",
            new() { Form = page.APIRequest.CreateFormData().Set("Reason", "forged"), MaxRedirects = 0 });
        Assert.Equal(400, forged.Status);
        await ssh.TypeAsync("echo alive-$((4*4))\r");
        await ssh.WaitForAsync("alive-16");

        await page.FillAsync("textarea[name=Reason]", "Watched from the console: this session is over");
        clock.Restart();
        await page.ClickAsync("button:has-text('Terminate the session')");
        await ssh.WaitForExitAsync();
        var ended = clock.Elapsed;
        Assert.Contains("terminated by " + analyst.Name + ": Watched from the console: this session is over", ssh.Output);
        Assert.True(ended < TimeSpan.FromSeconds(3), $"the ssh client ended {ended} after the click");
        await page.WaitForURLAsync("**/live?terminated=*");
        Assert.Contains("was told to end", await page.InnerTextAsync("p.notice[role=status]"));
        // The page may have been drawn a moment before the gateway let the session go: it leaves the list.
        var gone = Stopwatch.StartNew();
        while (await page.Locator("#live-sessions tbody tr", new() { HasText = user.Name }).CountAsync() > 0)
        {
            Assert.True(gone.Elapsed < TimeSpan.FromSeconds(30), "the terminated session stayed in the live list");
            await Task.Delay(250);
            await page.GotoAsync("/live");
        }
    }

    [Fact]
    public async Task Should_refuse_a_user_the_live_pages_and_the_output_of_others()
    {
        var analyst = await stack.PersonAsync("finds", "soc-analyst");
        var soc = await stack.PageAsync();
        await ConsoleStack.SignInAsync(soc, analyst);
        await soc.WaitForURLAsync("**/alerts");
        var (owner, target, _) = await stack.Services.AUserWithAGrantAsync("observed", "live");
        await using var ssh = InteractiveSsh.Start(stack.Services, owner, target);
        await ssh.TypeAsync("echo secret-$((5+5))\r");
        await ssh.WaitForAsync("secret-10");
        await soc.GotoAsync("/live");
        var watch = await soc.Locator("#live-sessions tbody tr", new() { HasText = owner.Name }).Locator("a").GetAttributeAsync("href");

        var someone = await stack.PersonAsync("nosy", "user", withMfa: false);
        var page = await stack.PageAsync();
        await ConsoleStack.SignInAsync(page, someone);
        await page.WaitForURLAsync(stack.ConsoleUrl.ToString());
        Assert.Equal(0, await page.Locator("nav a[href='/live']").CountAsync());
        foreach (var path in new[] { "/live", watch!, watch + "/output" })
        {
            var response = await page.GotoAsync(path);
            Assert.Equal(403, response!.Status);
        }

        // The gateway refuses the user's own token too: the console's check is not the only one.
        using var anonymous = new HttpClient { BaseAddress = stack.Services.AuthenticationAdmin.BaseAddress };
        var token = await TokensFromAuthentication.SignInAsync(anonymous, someone.Name, ConsoleStack.Password);
        using var gateway = new HttpClient { BaseAddress = stack.Services.BrokerAdmin.BaseAddress };
        gateway.DefaultRequestHeaders.Authorization = new("Bearer", token);
        using var output = await gateway.GetAsync($"api/sessions{watch!["/live".Length..]}/output", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, output.StatusCode);
    }

    /// <summary>Waits until the page's terminal follows the session; says what the page and the browser said if it does not.</summary>
    private static async Task WatchingAsync(IPage page)
    {
        try
        {
            await page.WaitForSelectorAsync("#live-terminal[data-watching=true]");
        }
        catch (TimeoutException)
        {
            await ConsoleStack.ScreenshotAsync(page, "live-failure");
            var messages = ConsoleStack.BrowserMessages.TryGetValue(page, out var list) ? string.Join("\n", list) : "";
            Assert.Fail($"The live view did not open: {await page.InnerTextAsync("#live-state")}\nBrowser said:\n{messages}");
        }
    }

    [Fact]
    public async Task Should_reach_the_gateway_instance_that_holds_the_session()
    {
        var analyst = await stack.PersonAsync("follows", "soc-analyst");
        var page = await stack.PageAsync();
        await ConsoleStack.SignInAsync(page, analyst);
        await page.WaitForURLAsync("**/alerts");
        var (user, target, _) = await stack.Services.AUserWithAGrantAsync("elsewhere", "live");
        await using var ssh = InteractiveSsh.Start(stack.Services, user, target, port: stack.OtherGatewayPort);
        await ssh.TypeAsync("echo there-$((2+3))\r");
        await ssh.WaitForAsync("there-5");
        Assert.DoesNotContain(stack.Services.Broker.GetRequiredService<LiveSessions>().List(), s => s.UserName == user.Name);

        await page.GotoAsync("/live");
        var row = page.Locator("#live-sessions tbody tr", new() { HasText = user.Name });
        Assert.True(await row.CountAsync() == 1, await page.InnerTextAsync("main"));
        await row.Locator("a").ClickAsync();
        await WatchingAsync(page);
        await ssh.TypeAsync("echo watched-there-$((7*7))\r");
        await page.WaitForFunctionAsync("() => document.querySelector('#live-terminal .xterm-rows').innerText.includes('watched-there-49')");

        await page.FillAsync("textarea[name=Reason]", "ended on the instance that holds it");
        await page.ClickAsync("button:has-text('Terminate the session')");
        await ssh.WaitForExitAsync();
        Assert.Contains("ended on the instance that holds it", ssh.Output);
    }
}
