using Gatehouse.Console.Tests.Support;
using Microsoft.Playwright;

namespace Gatehouse.Console.Tests.SigningIn;

[Collection(ConsoleCollection.Name)]
public sealed class When_a_person_signs_in(ConsoleStack stack)
{
    [Fact]
    public async Task Should_sign_in_with_password_and_authenticator_code_and_keep_the_token_on_the_server()
    {
        var analyst = await stack.PersonAsync("analyst", "soc-analyst");
        var page = await stack.PageAsync();
        await ConsoleStack.SignInAsync(page, analyst);

        await page.WaitForURLAsync("**/alerts");
        Assert.Equal(analyst.Name, await page.InnerTextAsync("header .who"));
        await ConsoleStack.ScreenshotAsync(page, "alerts-empty");

        var cookies = await page.Context.CookiesAsync();
        var session = Assert.Single(cookies, c => c.Name == Gatehouse.WebConsole.Extensions.CookieName);
        Assert.True(session.HttpOnly);
        Assert.Equal(SameSiteAttribute.Strict, session.SameSite);
        // The browser holds the protected key of a server-side ticket: far shorter than the ES256 token alone (about
        // 700 characters), which a cookie-held ticket would carry with the roles.
        Assert.True(session.Value.Length < 600, $"{session.Value.Length} characters");
        // A token is header.payload.signature, both first parts JSON ("eyJ" is '{"' in base64url); "eyJ" alone turns up in
        // the protected ticket's random bytes now and then (seen in CI).
        Assert.DoesNotContain(cookies, c => System.Text.RegularExpressions.Regex.IsMatch(c.Value, @"eyJ[\w-]+\.eyJ[\w-]+\."));
    }

    [Fact]
    public async Task Should_refuse_a_wrong_code()
    {
        var analyst = await stack.PersonAsync("wrongcode", "soc-analyst");
        var page = await stack.PageAsync();
        var right = analyst.Code();
        await ConsoleStack.SignInAsync(page, analyst, right == "000000" ? "111111" : "000000");

        Assert.EndsWith("/sign-in", page.Url);
        Assert.NotEmpty(await page.InnerTextAsync("p.error"));
        await ConsoleStack.ScreenshotAsync(page, "sign-in-refused");
        Assert.DoesNotContain(await page.Context.CookiesAsync(), c => c.Name == Gatehouse.WebConsole.Extensions.CookieName);
        var alerts = await page.GotoAsync("/alerts");
        Assert.EndsWith("/sign-in?ReturnUrl=%2Falerts", page.Url);
        Assert.NotNull(alerts);
    }

    [Fact]
    public async Task Should_end_the_sign_in_on_sign_out()
    {
        var analyst = await stack.PersonAsync("signout", "soc-analyst");
        var page = await stack.PageAsync();
        await ConsoleStack.SignInAsync(page, analyst);
        await page.WaitForURLAsync("**/alerts");
        var cookie = (await page.Context.CookiesAsync()).Single(c => c.Name == Gatehouse.WebConsole.Extensions.CookieName);

        var signedOut = await page.RunAndWaitForResponseAsync(() => page.ClickAsync("header .sign-out button"), r => r.Url.EndsWith("/sign-out"));
        Assert.Equal(302, signedOut.Status);
        Assert.Equal("/sign-in", (await signedOut.AllHeadersAsync())["location"]);
        await page.WaitForURLAsync("**/sign-in");

        // The old cookie, replayed, opens nothing: the server-side sign-in is gone.
        var replay = await stack.PageAsync();
        await replay.Context.AddCookiesAsync([new Cookie { Name = cookie.Name, Value = cookie.Value, Url = stack.ConsoleUrl.ToString() }]);
        await replay.GotoAsync("/alerts");
        Assert.Contains("/sign-in", replay.Url);
    }
}
