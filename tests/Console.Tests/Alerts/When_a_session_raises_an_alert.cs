using Gatehouse.Console.Tests.Support;
using Gatehouse.EndToEnd.Tests.Support;

namespace Gatehouse.Console.Tests.Alerts;

[Collection(ConsoleCollection.Name)]
public sealed class When_a_session_raises_an_alert(ConsoleStack stack)
{
    [Fact]
    public async Task Should_lead_from_the_alert_to_the_recording_at_the_command_and_record_the_acknowledgement()
    {
        var user = await stack.Services.CreateUserAsync("escalates");
        var target = await stack.Services.RegisterTargetAsync("console");
        await stack.Services.GrantAsync(user, target);
        await using (var ssh = InteractiveSsh.Start(stack.Services, user, target))
        {
            await ssh.TypeAsync("echo before-$((1+1))\r");
            await ssh.WaitForAsync("before-2");
            // The target has no sudo: the line is what matters to detection, the shell's answer is the output around it.
            await ssh.TypeAsync("sudo -i\r");
            await ssh.WaitForAsync("not found");
            await ssh.TypeAsync("echo after-$((2+2))\r");
            await ssh.WaitForAsync("after-4");
            await ssh.TypeAsync("exit\r");
            await ssh.WaitForExitAsync();
        }

        var analyst = await stack.PersonAsync("soc", "soc-analyst");
        var page = await stack.PageAsync();
        await ConsoleStack.SignInAsync(page, analyst);
        await page.WaitForURLAsync("**/alerts");

        // Open alerts are the first page; this one is found by its rule and user.
        await Pages.OpenUntilAsync(page, $"/alerts?rule=privilege-escalation&user={user.Name}", "#alerts tbody tr");
        Assert.Equal("Open", await page.InnerTextAsync("#alerts tbody tr td.status"));
        var byTarget = $"/alerts?rule=privilege-escalation&user={user.Name}&target={target}";
        await page.GotoAsync(byTarget);
        Assert.Equal(1, await page.Locator("#alerts tbody tr").CountAsync());
        await page.GotoAsync(byTarget.Replace(target, "another" + target));
        Assert.Equal(0, await page.Locator("#alerts tbody tr").CountAsync());
        await page.GotoAsync(byTarget + "&from=" + Uri.EscapeDataString(DateTimeOffset.UtcNow.AddHours(1).ToString("O")));
        Assert.Equal(0, await page.Locator("#alerts tbody tr").CountAsync());
        await page.GotoAsync(byTarget + "&to=" + Uri.EscapeDataString(DateTimeOffset.UtcNow.AddHours(1).ToString("O")));
        Assert.Equal(1, await page.Locator("#alerts tbody tr").CountAsync());
        await Pages.OpenUntilAsync(page, "/alerts", "#alerts tbody tr");
        await ConsoleStack.ScreenshotAsync(page, "alerts");
        await page.GotoAsync($"/alerts?rule=privilege-escalation&user={user.Name}");
        await page.ClickAsync("#alerts tbody tr td a");
        await page.WaitForSelectorAsync("#alert-status");
        Assert.Contains("sudo -i", await page.InnerTextAsync("#triggers"));
        await ConsoleStack.ScreenshotAsync(page, "alert");
        var alertUrl = page.Url;

        // The link opens the session at the triggering command; the session page lists it once the session has ended.
        var sessionLink = await page.GetAttributeAsync("#triggers a.at-command", "href");
        Assert.NotNull(sessionLink);
        await Pages.OpenUntilAsync(page, sessionLink!, "#player");
        Assert.Contains("sudo -i", await page.InnerTextAsync("#commands tr.current"));
        await Pages.WaitForPlayerTextAsync(page, "before-2");
        await Pages.WaitForPlayerTextAsync(page, "sudo -i");
        await ConsoleStack.ScreenshotAsync(page, "session-at-command");

        // Clicking a later command seeks the player there: its output is then on the terminal.
        await page.ClickAsync("#commands a.seek >> text=exit");
        await Pages.WaitForPlayerTextAsync(page, "after-4");
        await ConsoleStack.ScreenshotAsync(page, "session-after-seek");

        await page.GotoAsync(alertUrl);
        await page.FillAsync("textarea[name=Note]", "Looked at the recording: sudo is not installed on the target.");
        await page.ClickAsync("button:has-text('Acknowledge')");
        await page.WaitForSelectorAsync("p.notice[role=status]");
        Assert.Equal("Acknowledged", await page.InnerTextAsync("#alert-status"));
        Assert.Contains(analyst.Name, await page.InnerTextAsync("dl.facts"));
        await ConsoleStack.ScreenshotAsync(page, "alert-acknowledged");

        // Acknowledged, it has left the open alerts; the severity and status filters find it, resolving needs its note.
        var byRule = $"/alerts?rule=privilege-escalation&user={user.Name}";
        await page.GotoAsync(byRule);
        Assert.Equal(0, await page.Locator("#alerts tbody tr").CountAsync());
        await page.GotoAsync(byRule + "&status=acknowledged&severity=high");
        Assert.Equal(1, await page.Locator("#alerts tbody tr").CountAsync());
        await page.GotoAsync(byRule + "&status=any&severity=low");
        Assert.Equal(0, await page.Locator("#alerts tbody tr").CountAsync());
        await page.GotoAsync(alertUrl);
        await page.FillAsync("textarea[name=Note]", "Resolved: a test of the console, no harm done.");
        await page.ClickAsync("button:has-text('Resolve')");
        await page.WaitForSelectorAsync("p.notice[role=status]");
        Assert.Equal("Resolved", await page.InnerTextAsync("#alert-status"));
        Assert.Contains("Resolved: a test of the console, no harm done.", await page.InnerTextAsync("dl.facts"));
        Assert.Equal(0, await page.Locator("form.decide").CountAsync());
        await page.GotoAsync(byRule + "&status=resolved");
        Assert.Equal(1, await page.Locator("#alerts tbody tr").CountAsync());
        await ConsoleStack.ScreenshotAsync(page, "alert-resolved");
    }
}
