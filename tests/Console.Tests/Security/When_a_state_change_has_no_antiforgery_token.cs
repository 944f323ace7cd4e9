using Gatehouse.Console.Tests.Support;

namespace Gatehouse.Console.Tests.Security;

[Collection(ConsoleCollection.Name)]
public sealed class When_a_state_change_has_no_antiforgery_token(ConsoleStack stack)
{
    [Fact]
    public async Task Should_refuse_it_and_do_nothing()
    {
        var analyst = await stack.PersonAsync("csrf", "soc-analyst");
        var page = await stack.PageAsync();
        await ConsoleStack.SignInAsync(page, analyst);
        await page.WaitForURLAsync("**/alerts");

        // With the signed-in cookie but without the form's token, as a forged form on another site would send it.
        var alert = Guid.NewGuid();
        var forged = await page.APIRequest.PostAsync($"/alerts/{alert}?handler=Acknowledge",
            new() { Form = page.APIRequest.CreateFormData().Set("Note", "forged"), MaxRedirects = 0 });
        Assert.Equal(400, forged.Status);
        var signOut = await page.APIRequest.PostAsync("/sign-out", new() { MaxRedirects = 0 });
        Assert.Equal(400, signOut.Status);

        // Still signed in; and the same request with the page's own token reaches the Audit service (which knows no such alert).
        await page.GotoAsync("/alerts");
        Assert.EndsWith("/alerts", page.Url);
        await page.GotoAsync("/");
        var token = await page.GetAttributeAsync("header .sign-out input[name=__RequestVerificationToken]", "value");
        Assert.NotNull(token);
        var genuine = await page.APIRequest.PostAsync($"/alerts/{alert}?handler=Acknowledge",
            new() { Form = page.APIRequest.CreateFormData().Set("Note", "genuine").Set("__RequestVerificationToken", token!), MaxRedirects = 0 });
        Assert.Equal(404, genuine.Status);
    }

    [Fact]
    public async Task Should_answer_every_page_with_a_strict_content_security_policy_and_the_usual_headers()
    {
        var page = await stack.PageAsync();
        var response = await page.GotoAsync("/sign-in");
        var headers = await response!.AllHeadersAsync();
        Assert.Contains("script-src 'self'", headers["content-security-policy"]);
        Assert.DoesNotContain("unsafe-inline", headers["content-security-policy"]);
        Assert.Contains("frame-ancestors 'none'", headers["content-security-policy"]);
        Assert.Equal("nosniff", headers["x-content-type-options"]);
        Assert.Equal("no-referrer", headers["referrer-policy"]);
        Assert.Equal("no-store", headers["cache-control"]);
    }
}
