using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Infrastructure;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Http;

namespace Gatehouse.ServiceDefaults.Security;

/// <summary>
/// A 403 says which role the endpoint needs and which roles the caller's token carries, as a problem response, so
/// an approver who calls an admin endpoint (or a user who approves) learns what to ask for instead of a bare 403.
/// </summary>
public sealed class ForbiddenProblem : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult result)
    {
        if (!result.Forbidden || context.User.Identity?.IsAuthenticated != true)
        {
            await _default.HandleAsync(next, context, policy, result);
            return;
        }

        await Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden", detail: Describe(policy, context.User))
            .ExecuteAsync(context);
    }

    public static string Describe(AuthorizationPolicy policy, ClaimsPrincipal user)
    {
        var needed = policy.Requirements.OfType<RolesAuthorizationRequirement>().SelectMany(r => r.AllowedRoles).Distinct().ToList();
        var held = user.FindAll(GatehousePolicies.RoleClaim).Select(c => c.Value).Distinct().ToList();
        var holds = held.Count == 0 ? "your token carries no role" : $"your token carries the role{(held.Count == 1 ? "" : "s")} {string.Join(", ", held)}";
        return needed.Count == 0
            ? $"Not allowed: {holds}. Ask an administrator for the role this needs."
            : $"Not allowed: this needs the {string.Join(" or ", needed)} role and {holds}. "
              + "Ask an administrator for that role (gatehouse users set-roles), then sign in again for a new token.";
    }
}
