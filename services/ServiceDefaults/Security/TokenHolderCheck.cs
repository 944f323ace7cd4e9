using Gatehouse.ServiceDefaults.Telemetry;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Gatehouse.ServiceDefaults.Security;

/// <summary>
/// After JwtBearer has checked a token's signature and lifetime, checks it against its user as they stand now
/// (<see cref="TokenRevocation"/>): a disabled or deleted user, or a role taken away, stops the token within seconds
/// instead of at its expiry. When the user cannot be looked up the token is refused too (fail closed), with a 503.
/// </summary>
internal static class TokenHolderCheck
{
    private const string RefusalItem = "Gatehouse.TokenRefusal";

    private sealed record Refusal(int Status, string Title, string Detail);

    public static async Task OnTokenValidatedAsync(TokenValidatedContext context)
    {
        var http = context.HttpContext;
        var logger = http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(TokenHolderCheck));
        var principal = context.Principal!;
        var name = principal.FindFirst(ApiTokenClaims.UserName)?.Value;
        TokenHolder? holder = null;
        if (name is not null)
        {
            try
            {
                holder = await http.RequestServices.GetRequiredService<ITokenHolderLookup>().FindAsync(name, http.RequestAborted);
            }
            catch (TokenHolderUnavailableException ex)
            {
                logger.LogWarning(ex, "Refused the API token of {UserName}: cannot check the user now ({Why})", name, ex.Message);
                GatehouseTelemetry.ApiTokensRefused.Add(1, new KeyValuePair<string, object?>("reason", "unverifiable"));
                Refuse(context, new Refusal(StatusCodes.Status503ServiceUnavailable, "Cannot verify the token now",
                    $"Cannot check that the token's user is still enabled and holds its roles: {ex.Message}. Try again shortly."));
                return;
            }
        }

        if (TokenRevocation.Reason(principal, holder) is { } reason)
        {
            logger.LogWarning("Refused the API token of {UserName}: {Reason}", name, reason);
            GatehouseTelemetry.ApiTokensRefused.Add(1, new KeyValuePair<string, object?>("reason", "revoked"));
            Refuse(context, new Refusal(StatusCodes.Status401Unauthorized, "Token revoked", reason));
        }
    }

    /// <summary>Answers a refused token with its reason as a problem body; any other challenge stays JwtBearer's own.</summary>
    public static async Task OnChallengeAsync(JwtBearerChallengeContext context)
    {
        if (context.HttpContext.Items[RefusalItem] is not Refusal refusal)
        {
            return;
        }

        context.HandleResponse();
        var response = context.Response;
        if (refusal.Status == StatusCodes.Status401Unauthorized)
        {
            response.Headers.WWWAuthenticate = "Bearer error=\"invalid_token\", error_description=\"The token was revoked\"";
        }
        else
        {
            response.Headers.RetryAfter = Http.ApiProblems.RetryAfterSeconds;
        }

        await Results.Problem(statusCode: refusal.Status, title: refusal.Title, detail: refusal.Detail).ExecuteAsync(context.HttpContext);
    }

    private static void Refuse(TokenValidatedContext context, Refusal refusal)
    {
        context.HttpContext.Items[RefusalItem] = refusal;
        context.Fail(refusal.Title);
    }
}
