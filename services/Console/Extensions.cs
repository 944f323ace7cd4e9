using System.Security.Claims;
using Gatehouse.ServiceDefaults;
using Gatehouse.ServiceDefaults.Settings;
using Gatehouse.WebConsole.Auditing;
using Gatehouse.WebConsole.Calling;
using Gatehouse.WebConsole.Security;
using Gatehouse.WebConsole.SigningIn;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;

namespace Gatehouse.WebConsole;

public static class Extensions
{
    public const string CookieName = "gatehouse-console";

    public static IHostApplicationBuilder AddConsoleServices(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSettings<ConsoleSettings>(builder.Configuration.GetSection(ConsoleSettings.Section));
        var settings = builder.Configuration.GetSection(ConsoleSettings.Section).Get<ConsoleSettings>() ?? new ConsoleSettings();

        foreach (var service in Enum.GetValues<GatehouseService>())
        {
            builder.Services.AddHttpClient(service.ToString(), (provider, client) =>
            {
                var urls = provider.GetRequiredService<IOptions<ConsoleSettings>>().Value;
                client.BaseAddress = service switch
                {
                    GatehouseService.Authentication => urls.AuthenticationUrl,
                    GatehouseService.Authorization => urls.AuthorizationUrl,
                    GatehouseService.SessionBroker => urls.SessionBrokerUrl,
                    _ => urls.AuditUrl,
                };
                client.Timeout = urls.CallTimeout;
            });
        }

        builder.Services.AddHttpContextAccessor();
        builder.Services.AddScoped<ServiceApis>();
        builder.Services.AddScoped<Pages.Live.LiveGateways>();
        builder.Services.AddSingleton<IPasswordSignIn, AuthenticationServiceSignIn>();
        builder.Services.AddMemoryCache();
        builder.Services.AddSingleton<ServerSideSessions>();
        // The keys that protect the cookie and the antiforgery tokens live in memory with the sign-ins they protect:
        // a restart ends every sign-in anyway, and no key is left on disk (nor needed: one instance, see README).
        builder.Services.AddDataProtection().UseEphemeralDataProtectionProvider();

        builder.Services.AddAuthentication(ServerSideSessions.CookieScheme).AddCookie(cookie =>
        {
            cookie.Cookie.Name = CookieName;
            cookie.Cookie.HttpOnly = true;
            cookie.Cookie.SameSite = SameSiteMode.Strict;
            cookie.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            cookie.ExpireTimeSpan = settings.IdleTimeout;
            cookie.SlidingExpiration = true;
            cookie.LoginPath = "/sign-in";
            cookie.LogoutPath = "/sign-out";
            cookie.Events.OnRedirectToAccessDenied = context =>
            {
                // The page is refused by the server, with a status a script or proxy sees; no redirect to a page that says so.
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                return Task.CompletedTask;
            };
            cookie.Events.OnValidatePrincipal = async context =>
            {
                // The sign-in cannot outlive the API token it acts with.
                var expires = context.Properties.GetTokenValue(ExpiresTokenName);
                var now = context.HttpContext.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
                if (!DateTimeOffset.TryParse(expires, out var at) || at <= now)
                {
                    context.RejectPrincipal();
                    await context.HttpContext.SignOutAsync(ServerSideSessions.CookieScheme);
                }
            };
        });
        builder.Services.AddOptions<CookieAuthenticationOptions>(ServerSideSessions.CookieScheme)
            .Configure<ServerSideSessions>((cookie, sessions) => cookie.SessionStore = sessions);
        builder.Services.AddAuthorizationBuilder().AddConsolePolicies();

        builder.Services.AddAntiforgery(antiforgery =>
        {
            antiforgery.Cookie.Name = CookieName + "-csrf";
            antiforgery.Cookie.SameSite = SameSiteMode.Strict;
            antiforgery.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        });
        builder.Services.AddRazorPages(pages =>
        {
            pages.Conventions.AuthorizeFolder("/Alerts", ConsolePolicies.Soc);
            pages.Conventions.AuthorizeFolder("/Timelines", ConsolePolicies.Soc);
            pages.Conventions.AuthorizeFolder("/Audit", ConsolePolicies.Soc);
            pages.Conventions.AuthorizeFolder("/Integrity", ConsolePolicies.Soc);
            pages.Conventions.AuthorizeFolder("/Live", ConsolePolicies.Soc);
            // Sessions: every signed-in person, an analyst sees all of them and anyone else their own (SessionSource).
            pages.Conventions.AuthorizeFolder("/Administration", ConsolePolicies.Admin);
            pages.Conventions.AllowAnonymousToPage("/SignIn");
            pages.Conventions.AllowAnonymousToPage("/Status");
        }).AddMvcOptions(mvc => mvc.Filters.Add<PageReadAudit>());
        return builder;
    }

    /// <summary>Where the API token's expiry is kept in the sign-in ticket.</summary>
    public const string ExpiresTokenName = "expires_at";

    /// <summary>Headers, errors, sign-in and the role checks, before any page runs.</summary>
    public static WebApplication UseConsoleSecurity(this WebApplication app)
    {
        app.UseMiddleware<SecurityHeaders>();
        app.UseServiceDefaults();
        app.UseStatusCodePagesWithReExecute("/status/{0}");
        app.UseStaticFiles();
        app.UseRouting();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseMiddleware<SignInEndedHandler>();
        return app;
    }

    public static WebApplication MapConsolePages(this WebApplication app)
    {
        app.MapRazorPages();
        return app;
    }

    /// <summary>The principal of a signed-in person: name and roles as the token gave them; the token itself goes into the server-side ticket.</summary>
    public static (ClaimsPrincipal Principal, AuthenticationProperties Properties) Ticket(SignedInPerson person)
    {
        var identity = new ClaimsIdentity(ServerSideSessions.CookieScheme, ClaimTypes.Name, Gatehouse.ServiceDefaults.Security.GatehousePolicies.RoleClaim);
        identity.AddClaim(new Claim(ClaimTypes.Name, person.Name));
        identity.AddClaims(person.Roles.Select(role => new Claim(Gatehouse.ServiceDefaults.Security.GatehousePolicies.RoleClaim, role)));
        var properties = new AuthenticationProperties { IsPersistent = false };
        properties.StoreTokens([
            new AuthenticationToken { Name = ServiceApis.TokenName, Value = person.ApiToken },
            new AuthenticationToken { Name = ExpiresTokenName, Value = person.TokenExpiresAt.ToString("O") },
        ]);
        return (new ClaimsPrincipal(identity), properties);
    }
}
