using Gatehouse.WebConsole.Calling;
using Gatehouse.WebConsole.SigningIn;
using Microsoft.AspNetCore.Authentication;

namespace Gatehouse.WebConsole.Security;

/// <summary>A service refused the person's token (expired, revoked, user disabled): the sign-in ends here too.</summary>
public sealed class SignInEndedHandler(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context);
        }
        catch (SignInEndedException) when (!context.Response.HasStarted)
        {
            await context.SignOutAsync(ServerSideSessions.CookieScheme);
            context.Response.Clear();
            context.Response.Redirect("/sign-in?ended=1");
        }
    }
}
