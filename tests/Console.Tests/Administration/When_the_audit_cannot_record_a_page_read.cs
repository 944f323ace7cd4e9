using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Gatehouse.Console.Tests.Support;

namespace Gatehouse.Console.Tests.Administration;

[Collection(ConsoleCollection.Name)]
public sealed class When_the_audit_cannot_record_a_page_read(ConsoleStack stack)
{
    [Fact]
    public async Task Should_refuse_the_page_within_the_short_bound_and_show_nothing()
    {
        // An "Audit service" that takes the connection and never answers: the worst hiccup, a hang rather than a refusal.
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var console = await stack.StartAnotherConsoleAsync(new Dictionary<string, string?>
        {
            ["Gatehouse:Console:AuditUrl"] = $"http://127.0.0.1:{((IPEndPoint)silent.LocalEndpoint).Port}/",
            ["Gatehouse:Console:PageReadAuditTimeout"] = "00:00:02",
        });
        var admin = await stack.PersonAsync("unaudited", "admin");
        var context = await stack.Browser.NewContextAsync(new() { BaseURL = console.ToString() });
        var page = await context.NewPageAsync();
        await ConsoleStack.SignInAsync(page, admin);
        // Signed in (the Authentication service answers); the first page after it is already refused.
        await page.WaitForURLAsync(url => !url.Contains("/sign-in"));

        var clock = Stopwatch.StartNew();
        var response = await page.GotoAsync("/administration/users");
        clock.Stop();

        Assert.Equal(503, response!.Status);
        Assert.Equal(0, await page.Locator("#users").CountAsync());
        Assert.DoesNotContain(admin.Name, await page.InnerTextAsync("main"));
        Assert.Contains("audit", await page.InnerTextAsync("main"));
        // The 2 s bound, plus the page's own call and a loaded machine: well under the 15 s a service call may take.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"The refusal took {clock.Elapsed}");
        await ConsoleStack.ScreenshotAsync(page, "administration-unaudited");
        await context.DisposeAsync();
    }
}
