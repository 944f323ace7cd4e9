using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Gatehouse.Console.Tests.Support;
using Gatehouse.EndToEnd.Tests.Support;
using Microsoft.Playwright;

namespace Gatehouse.Console.Tests.Administration;

/// <summary>What the administration tests share: an administrator signed in to the console, and the services' own view to check against.</summary>
public static class Administration
{
    public static readonly string[] Pages =
    [
        "/administration/users", "/administration/users/e2e-admin", "/administration/targets", "/administration/grants",
        "/administration/roles", "/administration/command-policies", "/administration/vault",
    ];

    public static async Task<(GatehouseUser Admin, IPage Page)> SignedInAdministratorAsync(ConsoleStack stack)
    {
        var admin = await stack.PersonAsync("admin", "admin");
        var page = await stack.PageAsync();
        await ConsoleStack.SignInAsync(page, admin);
        await page.WaitForURLAsync("**/alerts");
        return (admin, page);
    }

    /// <summary>The user as the Authentication API shows them.</summary>
    public static async Task<JsonElement> UserAsync(ConsoleStack stack, string name) =>
        await stack.Services.AuthenticationAdmin.GetFromJsonAsync<JsonElement>($"api/users/{name}");

    /// <summary>The Audit SOC API, as the stack's administrator.</summary>
    public static HttpClient Audit(ConsoleStack stack) => new()
    {
        BaseAddress = stack.AuditUrl,
        DefaultRequestHeaders = { Authorization = new AuthenticationHeaderValue("Bearer", stack.Services.AdminToken) },
    };

    /// <summary>The text of the validation message shown for a form field.</summary>
    public static Task<string> FieldErrorAsync(IPage page, string field) =>
        page.Locator($"span.field-error[data-valmsg-for='{field}']").InnerTextAsync();
}
