using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Gatehouse.WebConsole.Pages;

/// <summary>What a refused or missing page says; the status code itself stays the one the server decided.</summary>
[Microsoft.AspNetCore.Mvc.IgnoreAntiforgeryToken]
public sealed class StatusModel : PageModel
{
    public string Title { get; private set; } = "";

    public string Explanation { get; private set; } = "";

    public void OnGet(int code)
    {
        (Title, Explanation) = code switch
        {
            403 => ("Not permitted", "Your roles do not open this page. Ask an administrator for the role it needs."),
            404 => ("Not found", "There is no such page or record."),
            503 => ("Not answered", "A service the console needs did not answer; every page is shown only once the audit has recorded that you opened it. Try again shortly."),
            400 => ("Refused", "The request was refused (a form older than your sign-in, or invalid input). Go back and try again."),
            _ => ($"Error {code}", "The console could not answer this request."),
        };
    }
}
