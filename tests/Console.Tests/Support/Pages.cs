using System.Diagnostics;
using Microsoft.Playwright;

namespace Gatehouse.Console.Tests.Support;

public static class Pages
{
    /// <summary>
    /// Reloads <paramref name="path"/> until <paramref name="selector"/> is on it: what the page shows comes from the
    /// Audit service's projections, which follow the bus (generous bound, the machine is shared).
    /// </summary>
    public static async Task OpenUntilAsync(IPage page, string path, string selector, TimeSpan? within = null)
    {
        var bound = within ?? TimeSpan.FromSeconds(90);
        var clock = Stopwatch.StartNew();
        while (true)
        {
            await page.GotoAsync(path);
            if (await page.Locator(selector).CountAsync() > 0)
            {
                return;
            }

            Assert.True(clock.Elapsed < bound, $"{path} did not show {selector} within {bound.TotalSeconds} s");
            await Task.Delay(1000);
        }
    }

    /// <summary>The text the recording player shows on its terminal now.</summary>
    public static Task<string> PlayerTextAsync(IPage page) => page.Locator("#player .ap-term").InnerTextAsync();

    public static async Task WaitForPlayerTextAsync(IPage page, string text)
    {
        var clock = Stopwatch.StartNew();
        string shown;
        while (!(shown = await PlayerTextAsync(page)).Contains(text, StringComparison.Ordinal))
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(30))
            {
                await ConsoleStack.ScreenshotAsync(page, "player-failure");
                var messages = ConsoleStack.BrowserMessages.TryGetValue(page, out var list) ? string.Join("\n", list) : "";
                Assert.Fail($"The player did not show '{text}' within 30 s; it shows:\n{shown}\nBrowser said:\n{messages}\n{await page.InnerHTMLAsync("#player")}");
            }

            await Task.Delay(250);
        }
    }
}
