using System.Diagnostics;
using Gatehouse.Console.Tests.Support;
using Gatehouse.TestSupport;

namespace Gatehouse.Console.Tests.Integrity;

[Collection(ConsoleCollection.Name)]
public sealed class When_an_analyst_verifies_the_audit_chain(ConsoleStack stack)
{
    // The first event of the sealed range (digests hold PascalCase data).
    private const string FirstSealedEvent = "(SELECT min(seq_id) FROM {schema}.mt_events WHERE type <> 'digest_sealed'"
        + " AND seq_id <= (SELECT max((data->>'LastSequence')::bigint) FROM {schema}.mt_events WHERE type = 'digest_sealed'))";

    [Fact]
    public async Task Should_run_it_record_who_did_and_name_the_event_changed_after_sealing()
    {
        var analyst = await stack.PersonAsync("integrity", "soc-analyst");
        var page = await stack.PageAsync();
        await ConsoleStack.SignInAsync(page, analyst);
        await page.WaitForURLAsync("**/alerts");

        // Run until the chain holds a digest (the store seals as it goes): intact, and recorded as this analyst's run.
        await page.GotoAsync("/integrity");
        var clock = Stopwatch.StartNew();
        string result;
        while ((result = await VerifyAsync(page)).Contains(" in 0 digests", StringComparison.Ordinal))
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"nothing was sealed within 60 s: {result}");
            await Task.Delay(1000);
        }

        Assert.StartsWith("Intact", result);
        Assert.Equal("Intact", await page.InnerTextAsync("#last-result"));
        Assert.Contains(analyst.Name, await page.InnerTextAsync("#last-verification"));
        await ConsoleStack.ScreenshotAsync(page, "integrity-intact");

        await Infrastructure.AsAdministratorAsync(stack.AuditSchema,
            $"UPDATE {{schema}}.mt_events SET data = data || '{{\"tampered\": true}}'::jsonb WHERE seq_id = {FirstSealedEvent}");
        try
        {
            Assert.StartsWith("Broken", await VerifyAsync(page));
            var named = await page.InnerTextAsync("#problems");
            Assert.Contains("EventChanged", named);
            Assert.Contains("was changed after it was sealed", named);

            // The last verification is the broken one, whoever opens the page next.
            await page.GotoAsync("/integrity");
            Assert.StartsWith("Broken: 1 problem", await page.InnerTextAsync("#last-result"));
            Assert.Contains("was changed after it was sealed", await page.InnerTextAsync("#last-problems"));
            await ConsoleStack.ScreenshotAsync(page, "integrity-broken");
        }
        finally
        {
            await Infrastructure.AsAdministratorAsync(stack.AuditSchema,
                $"UPDATE {{schema}}.mt_events SET data = data - 'tampered' WHERE seq_id = {FirstSealedEvent}");
        }

        Assert.StartsWith("Intact", await VerifyAsync(page));
    }

    [Fact]
    public async Task Should_not_run_for_a_user()
    {
        var user = await stack.PersonAsync("nointegrity", "user");
        var page = await stack.PageAsync();
        await ConsoleStack.SignInAsync(page, user);
        await page.WaitForURLAsync(stack.ConsoleUrl.ToString());
        foreach (var path in new[] { "/integrity", "/audit", "/audit/export?format=jsonl", "/timelines", $"/timelines/users/{user.Name}" })
        {
            var response = await page.GotoAsync(path);
            Assert.True(response!.Status == 403, $"{path} answered {response.Status}");
        }
    }

    private static async Task<string> VerifyAsync(Microsoft.Playwright.IPage page)
    {
        await page.ClickAsync("#verify");
        await page.WaitForSelectorAsync("#run-result");
        return (await page.InnerTextAsync("#run-result")).Trim();
    }
}
