using Gatehouse.WebConsole.SigningIn;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Gatehouse.WebConsole.Pages;

/// <summary>Sign-out is a POST (with the antiforgery token): a link or an image elsewhere cannot sign anybody out.</summary>
public sealed class SignOutModel : PageModel
{
    public IActionResult OnGet() => Redirect("/");

    public async Task<IActionResult> OnPostAsync()
    {
        // Removes the server-side ticket too, so the cookie's key is worth nothing afterwards.
        await HttpContext.SignOutAsync(ServerSideSessions.CookieScheme);
        return Redirect("/sign-in");
    }
}
