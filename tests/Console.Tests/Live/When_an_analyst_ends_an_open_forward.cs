using Gatehouse.Console.Tests.Support;
using Gatehouse.Contracts;
using Gatehouse.EndToEnd.Tests.Support;

namespace Gatehouse.Console.Tests.Live;

[Collection(ConsoleCollection.Name)]
public sealed class When_an_analyst_ends_an_open_forward(ConsoleStack stack)
{
    [Fact]
    public async Task Should_list_it_with_its_destination_refuse_forged_or_made_up_ends_and_end_it_with_the_reason()
    {
        var analyst = await stack.PersonAsync("tunnels", "soc-analyst");
        var page = await stack.PageAsync();
        await ConsoleStack.SignInAsync(page, analyst);
        await page.WaitForURLAsync("**/alerts");
        var user = await stack.Services.CreateUserAsync("tunnelled");
        var target = await stack.Services.RegisterTargetAsync("tunnelled");
        await using var open = await OpenedForward.OpenAsync(stack.Services, user, target);
        var opened = await open.OpenedAsync();

        await page.GotoAsync("/live");
        var row = page.Locator($"#live-forwards tbody tr[data-forwarding-id='{opened.ForwardingId}']");
        Assert.True(await row.CountAsync() == 1, await page.InnerTextAsync("main"));
        var shown = await row.InnerTextAsync();
        Assert.Contains(user.Name, shown);
        Assert.Contains($"{opened.DestinationHost}:{opened.DestinationPort}", shown);
        Assert.Contains(nameof(ForwardingKind.Local), shown);
        await ConsoleStack.ScreenshotAsync(page, "live-forwards");

        // A forged form (the signed-in cookie, no antiforgery token) ends nothing.
        var forged = await page.APIRequest.PostAsync($"/live?handler=TerminateForward&id={opened.ForwardingId}",
            new() { Form = page.APIRequest.CreateFormData().Set("Reason", "forged"), MaxRedirects = 0 });
        Assert.Equal(400, forged.Status);
        // The page's own form, pointed at a forward no gateway instance holds: refused with why, and nothing ends.
        var madeUp = Guid.NewGuid();
        await row.Locator("form").EvaluateAsync("(form, id) => form.action = form.action.replace(/[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}/i, id)",
            madeUp.ToString());
        await row.Locator("input[name=Reason]").FillAsync("no such forward");
        var refused = await page.RunAndWaitForResponseAsync(() => row.Locator("button:has-text('Terminate the forward')").ClickAsync(),
            r => r.Request.Method == "POST");
        Assert.Equal(404, refused.Status);
        Assert.Contains($"Forward {madeUp} is not live on any gateway instance", await page.InnerTextAsync("p.error[role=alert]"));
        Assert.Equal(1, await row.CountAsync());

        await row.Locator("input[name=Reason]").FillAsync("Ended from the console: tunnel not expected");
        await row.Locator("button:has-text('Terminate the forward')").ClickAsync();

        var closed = await open.ClosedAsync();
        Assert.Equal(ForwardingEndReason.Terminated, closed.EndReason);
        Assert.Equal($"terminated by {analyst.Name}: Ended from the console: tunnel not expected", closed.EndedBecause);
        await page.WaitForURLAsync("**/live?terminatedForward=*");
        Assert.Contains("was told to end", await page.InnerTextAsync("p.notice[role=status]"));
    }
}
