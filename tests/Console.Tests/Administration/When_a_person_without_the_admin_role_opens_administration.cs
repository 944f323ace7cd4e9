using Gatehouse.Console.Tests.Support;

namespace Gatehouse.Console.Tests.Administration;

[Collection(ConsoleCollection.Name)]
public sealed class When_a_person_without_the_admin_role_opens_administration(ConsoleStack stack)
{
    [Fact]
    public async Task Should_refuse_a_soc_analyst_every_administration_page_and_action_on_the_server()
    {
        var analyst = await stack.PersonAsync("analyst", "soc-analyst");
        var page = await stack.PageAsync();
        await ConsoleStack.SignInAsync(page, analyst);
        await page.WaitForURLAsync("**/alerts");

        foreach (var path in Administration.Pages)
        {
            var response = await page.GotoAsync(path);
            Assert.True(response!.Status == 403, $"{path} answered {response.Status}");
            Assert.Equal(0, await page.Locator("form.admin").CountAsync());
        }

        // A write with a valid antiforgery token of the analyst's own is refused too, before it reaches any service.
        await page.GotoAsync("/");
        var token = await page.GetAttributeAsync("header .sign-out input[name=__RequestVerificationToken]", "value");
        var forged = await page.APIRequest.PostAsync("/administration/users?handler=Create", new()
        {
            Form = page.APIRequest.CreateFormData().Set("Create.UserName", "madebyanalyst").Set("Create.Roles", "admin")
                .Set("__RequestVerificationToken", token!),
            MaxRedirects = 0,
        });
        Assert.Equal(403, forged.Status);
        using var lookup = await stack.Services.AuthenticationAdmin.GetAsync("api/users/madebyanalyst");
        Assert.Equal(System.Net.HttpStatusCode.NotFound, lookup.StatusCode);
    }
}
