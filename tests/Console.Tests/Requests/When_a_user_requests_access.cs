using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Gatehouse.Console.Tests.Support;
using Gatehouse.EndToEnd.Tests.Support;
using Microsoft.Playwright;

namespace Gatehouse.Console.Tests.Requests;

[Collection(ConsoleCollection.Name)]
public sealed class When_a_user_requests_access(ConsoleStack stack)
{
    [Fact]
    public async Task Should_reach_the_target_once_another_approver_approves_and_the_approvers_are_told()
    {
        var target = await stack.Services.RegisterTargetAsync("asked");
        // Key-only, so the test's ssh needs no code; they sign in to the console with their password.
        var requester = await stack.PersonAsync("asks", "user", withMfa: false);
        var approver = await stack.PersonAsync("approves", "approver", withMfa: false);
        var refused = await OpenSsh.SshAsync(stack.Services, requester, target, "echo in-$((6*7))");
        Assert.NotEqual(0, refused.ExitCode);

        var page = await stack.PageAsync();
        await ConsoleStack.SignInAsync(page, requester);
        await page.WaitForURLAsync(stack.ConsoleUrl.ToString());
        await page.ClickAsync("header nav a:has-text('Access requests')");
        await page.WaitForSelectorAsync("#ask");
        Assert.Equal(0, await page.Locator("#queue").CountAsync());

        // The service's validation, as it words it.
        await AskAsync(page, "no" + target, "for the test");
        Assert.Contains($"there is no target named 'no{target}'", await page.InnerTextAsync("p.error"));
        await AskAsync(page, target, "Deploy the <b>hotfix</b> & check the logs", minutes: "0");
        Assert.Contains("duration: must be between 00:01:00 and", await page.InnerTextAsync("p.error"));

        var reason = "Deploy the <b>hotfix</b> & check the logs";
        await AskAsync(page, target, reason);
        await page.WaitForSelectorAsync("p.notice[role=status]");
        var row = page.Locator("#own tbody tr", new() { HasText = target });
        Assert.Equal("Pending", await row.Locator("td.status").InnerTextAsync());
        // The reason is the requester's text: shown as text, never markup.
        Assert.Contains(reason, await row.InnerTextAsync());
        Assert.Equal(0, await page.Locator("#own b").CountAsync());
        var requestId = (await row.GetAttributeAsync("data-request"))!;
        await ConsoleStack.ScreenshotAsync(page, "access-request-asked");

        // A user is no approver: the Authorization service refuses their approval of their own request, as the API does.
        var token = await page.GetAttributeAsync("#ask input[name=__RequestVerificationToken]", "value");
        var selfApproval = await page.APIRequest.PostAsync($"/requests?handler=Approve&id={requestId}",
            new() { Form = page.APIRequest.CreateFormData().Set("__RequestVerificationToken", token!), MaxRedirects = 0 });
        Assert.Equal(403, selfApproval.Status);

        // The approvers are told: both webhook formats (after a refused first attempt) and an e-mail.
        var generic = await stack.Notices.WebhookAsync("generic", body => body["requestId"]?.ToString() == requestId && body["event"]?.ToString() == "AccessRequested");
        Assert.Equal(requester.Name, generic["userName"]!.ToString());
        Assert.Equal(target, generic["target"]!.ToString());
        Assert.Equal(SshTarget.Login, generic["login"]!.ToString());
        Assert.Equal("00:30:00", generic["duration"]!.ToString());
        Assert.Equal(reason, generic["reason"]!.ToString());
        Assert.Equal(2, stack.Notices.AttemptsWith("generic", requestId));
        var slack = await stack.Notices.WebhookAsync("slack", body => body["text"]!.ToString().Contains(target) && body["text"]!.ToString().Contains("asks"));
        Assert.Equal(["text"], slack.Select(p => p.Key));
        Assert.Contains($"{requester.Name} asks for access to {target} as {SshTarget.Login} for 00:30:00: Deploy the &lt;b&gt;hotfix&lt;/b&gt; &amp; check the logs",
            slack["text"]!.ToString());
        var mail = await stack.Notices.MailAsync(requestId);
        Assert.Contains($"To: {NoticeReceivers.Approvers}", mail);
        Assert.Contains($"User:     {requester.Name}", mail);
        Assert.Contains($"Target:   {target}", mail);
        Assert.Contains($"Reason:   {reason}", mail);

        // An approver who asks for access cannot approve it either: the page shows the service's refusal, which is an event.
        var approverPage = await stack.PageAsync();
        await ConsoleStack.SignInAsync(approverPage, approver);
        await approverPage.WaitForURLAsync(stack.ConsoleUrl.ToString());
        await approverPage.GotoAsync("/requests");
        await AskAsync(approverPage, target, "my own");
        await approverPage.WaitForSelectorAsync("p.notice[role=status]");
        var own = approverPage.Locator("#queue tbody tr", new() { HasText = "(you" });
        var ownId = (await own.GetAttributeAsync("data-request"))!;
        await own.Locator("button.approve").ClickAsync();
        var refusal = approverPage.Locator($"#request-{ownId} p.error");
        await refusal.WaitForAsync();
        Assert.Equal("You cannot approve your own access request; another approver must", await refusal.InnerTextAsync());
        await ConsoleStack.ScreenshotAsync(approverPage, "access-request-own-refused");
        await WaitForAuditEventAsync("AccessRequestApprovalRefused", approver.Name);

        // Another approver approves the user's request: the user's ssh then works.
        var theirs = approverPage.Locator($"#request-{requestId}");
        Assert.Contains(reason, await theirs.InnerTextAsync());
        await ConsoleStack.ScreenshotAsync(approverPage, "access-requests-queue");
        await theirs.Locator("button.approve").ClickAsync();
        await approverPage.WaitForSelectorAsync("p.notice[role=status]");
        Assert.Equal(0, await approverPage.Locator($"#request-{requestId}").CountAsync());
        Assert.Equal("Approved", await approverPage.Locator($"#decided tr[data-request='{requestId}'] td.status").InnerTextAsync());

        await page.GotoAsync("/requests");
        Assert.Equal("Approved", await row.Locator("td.status").InnerTextAsync());
        Assert.Equal(approver.Name, await row.Locator("td:nth-child(7)").InnerTextAsync());
        await ConsoleStack.ScreenshotAsync(page, "access-request-approved");
        var allowed = await OpenSsh.SshAsync(stack.Services, requester, target, "echo in-$((6*7))");
        Assert.True(allowed.ExitCode == 0, allowed.Error);
        Assert.Equal("in-42\n", allowed.Text);

        var approved = await stack.Notices.WebhookAsync("generic", body => body["requestId"]?.ToString() == requestId && body["event"]?.ToString() == "AccessRequestApproved");
        Assert.Equal(approver.Name, approved["actor"]!.ToString());
    }

    [Fact]
    public async Task Should_tell_the_requester_and_the_webhooks_why_an_approver_denied_it()
    {
        var target = await stack.Services.RegisterTargetAsync("denied");
        var requester = await stack.PersonAsync("turned", "user", withMfa: false);
        var approver = await stack.PersonAsync("denies", "approver", withMfa: false);
        var page = await stack.PageAsync();
        await ConsoleStack.SignInAsync(page, requester);
        await page.WaitForURLAsync(stack.ConsoleUrl.ToString());
        await page.GotoAsync("/requests");
        await AskAsync(page, target, "curiosity");
        await page.WaitForSelectorAsync("p.notice[role=status]");
        var requestId = (await page.Locator("#own tbody tr", new() { HasText = target }).GetAttributeAsync("data-request"))!;

        var approverPage = await stack.PageAsync();
        await ConsoleStack.SignInAsync(approverPage, approver);
        await approverPage.WaitForURLAsync(stack.ConsoleUrl.ToString());
        await approverPage.GotoAsync("/requests");
        var pending = approverPage.Locator($"#request-{requestId}");
        // A denial needs a reason: the service's message, next to the request.
        await pending.Locator("button.deny").ClickAsync();
        Assert.Contains("reason", await approverPage.Locator($"#request-{requestId} p.error").InnerTextAsync());
        await approverPage.Locator($"#request-{requestId} input[name=DenialReason]").FillAsync("Not without a ticket");
        await approverPage.Locator($"#request-{requestId} button.deny").ClickAsync();
        await approverPage.WaitForSelectorAsync("p.notice[role=status]");

        await page.GotoAsync("/requests");
        var row = page.Locator($"#own tr[data-request='{requestId}']");
        Assert.Equal("Denied", await row.Locator("td.status").InnerTextAsync());
        Assert.Contains("denied: Not without a ticket", await row.InnerTextAsync());
        var denied = await stack.Notices.WebhookAsync("slack", body => body["text"]!.ToString().Contains($"denied {requester.Name}'s access to {target}"));
        Assert.Contains("Not without a ticket", denied["text"]!.ToString());
        var refused = await OpenSsh.SshAsync(stack.Services, requester, target, "true");
        Assert.NotEqual(0, refused.ExitCode);
    }

    private static async Task AskAsync(IPage page, string target, string reason, string minutes = "30")
    {
        await page.FillAsync("#ask input[name=Target]", target);
        await page.FillAsync("#ask input[name=Login]", SshTarget.Login);
        await page.FillAsync("#ask input[name=Minutes]", minutes);
        await page.FillAsync("#ask textarea[name=Reason]", reason);
        await page.ClickAsync("#ask button[type=submit]");
        await page.WaitForLoadStateAsync();
    }

    /// <summary>The Audit store receives the event from the bus: waited for, with a generous bound.</summary>
    private async Task WaitForAuditEventAsync(string type, string actor)
    {
        using var client = new HttpClient { BaseAddress = stack.AuditUrl };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", stack.Services.AdminToken);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            var page = await client.GetFromJsonAsync<JsonElement>($"api/audit/events?type={type}&actor={actor}");
            if (page.GetProperty("events").GetArrayLength() > 0)
            {
                return;
            }

            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(90), $"No {type} by {actor} in the audit store within 90 s");
            await Task.Delay(500);
        }
    }
}
