using System.Text.Json;
using Gatehouse.Console.Tests.Support;
using Gatehouse.EndToEnd.Tests.Support;

namespace Gatehouse.Console.Tests.Sessions;

[Collection(ConsoleCollection.Name)]
public sealed class When_an_analyst_searches_the_sessions(ConsoleStack stack)
{
    [Fact]
    public async Task Should_find_it_by_login_and_command_and_show_its_algorithms_and_a_recording_marked_at_each_command()
    {
        var user = await stack.Services.CreateUserAsync("searched");
        var target = await stack.Services.RegisterTargetAsync("searched");
        await stack.Services.GrantAsync(user, target);
        await using (var ssh = InteractiveSsh.Start(stack.Services, user, target))
        {
            await ssh.TypeAsync("echo first-$((5+5))\r");
            await ssh.WaitForAsync("first-10");
            await ssh.TypeAsync("echo second-$((6+6))\r");
            await ssh.WaitForAsync("second-12");
            await ssh.TypeAsync("exit\r");
            await ssh.WaitForExitAsync();
        }

        var analyst = await stack.PersonAsync("sessions", "soc-analyst");
        var page = await stack.PageAsync();
        await ConsoleStack.SignInAsync(page, analyst);
        await page.WaitForURLAsync("**/alerts");
        await Pages.OpenUntilAsync(page, $"/sessions?user={user.Name}&state=ended", "#sessions tbody tr");
        var login = await page.InnerTextAsync("#sessions tbody tr td:nth-child(4)");

        // Each filter narrows: the login and the command text find the session, another login or text does not.
        await page.GotoAsync($"/sessions?user={user.Name}&login={login}&command=second-");
        Assert.Equal(1, await page.Locator("#sessions tbody tr").CountAsync());
        await ConsoleStack.ScreenshotAsync(page, "sessions-search");
        await page.GotoAsync($"/sessions?user={user.Name}&login=not{login}");
        Assert.Equal(0, await page.Locator("#sessions tbody tr").CountAsync());
        await page.GotoAsync($"/sessions?user={user.Name}&command=third-");
        Assert.Equal(0, await page.Locator("#sessions tbody tr").CountAsync());
        await page.GotoAsync($"/sessions?user={user.Name}&state=open");
        Assert.Equal(0, await page.Locator("#sessions tbody tr").CountAsync());

        await page.GotoAsync($"/sessions?user={user.Name}&login={login}");
        await page.ClickAsync("#sessions tbody tr a");
        await page.WaitForSelectorAsync("#commands");
        Assert.Contains("key exchange", await page.InnerTextAsync("#client-ssh"));
        Assert.Contains("key exchange", await page.InnerTextAsync("#target-ssh"));
        await ConsoleStack.ScreenshotAsync(page, "session");

        // The download is the recording as the gateway wrote it, a marker at each command before that command's output.
        var download = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("#download"));
        var lines = await File.ReadAllLinesAsync((await download.PathAsync())!);
        var events = lines.Skip(1).Select(line => JsonDocument.Parse(line).RootElement).ToList();
        var markers = events.Where(e => e[1].GetString() == "m").Select(e => e[2].GetString()!).ToList();
        Assert.Equal(["1: echo first-$((5+5))", "2: echo second-$((6+6))", "3: exit"], markers);
        var times = events.Select(e => e[0].GetDouble()).ToList();
        Assert.Equal(times.Order(), times);
        var secondMarker = events.FindIndex(e => e[1].GetString() == "m" && e[2].GetString()!.StartsWith("2: ", StringComparison.Ordinal));
        var secondOutput = events.FindIndex(e => e[1].GetString() == "o" && e[2].GetString()!.Contains("second-12", StringComparison.Ordinal));
        Assert.True(secondMarker >= 0 && secondMarker < secondOutput, "the marker comes before the command's output");

        // The player takes the recording's markers: a click on the second command shows the first one's output, not yet its own.
        await page.WaitForSelectorAsync("#player[data-ready=true]");
        await page.ClickAsync("#commands a.seek >> text=second");
        await Pages.WaitForPlayerTextAsync(page, "first-10");
        Assert.DoesNotContain("second-12", await Pages.PlayerTextAsync(page));
        await ConsoleStack.ScreenshotAsync(page, "session-at-second-command");
    }
}
