using Gatehouse.WebConsole.SigningIn;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Gatehouse.WebConsole.Pages;

public sealed class SignInModel(IPasswordSignIn signIn) : PageModel
{
    [BindProperty]
    public string? UserName { get; set; }

    [BindProperty]
    public string? Password { get; set; }

    [BindProperty]
    public string? Code { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    [BindProperty(SupportsGet = true, Name = "ended")]
    public bool Ended { get; set; }

    public string? Refusal { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(UserName) || string.IsNullOrEmpty(Password))
        {
            Refusal = "User name and password are required.";
            return Page();
        }

        var attempt = await signIn.SignInAsync(UserName.Trim(), Password, string.IsNullOrWhiteSpace(Code) ? null : Code.Trim(), cancellationToken);
        Password = null;
        if (attempt.Person is not { } person)
        {
            Refusal = attempt.Refusal;
            Response.StatusCode = StatusCodes.Status401Unauthorized;
            return Page();
        }

        var (principal, properties) = Extensions.Ticket(person);
        await HttpContext.SignInAsync(ServerSideSessions.CookieScheme, principal, properties);
        // Only a path of this console: a crafted return address must not send a fresh sign-in elsewhere.
        return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl! : "/");
    }
}
