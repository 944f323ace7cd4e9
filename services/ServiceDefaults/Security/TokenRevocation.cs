using System.Globalization;
using System.Security.Claims;

namespace Gatehouse.ServiceDefaults.Security;

/// <summary>Whether a token whose signature and lifetime check out is still good for its user as they stand now.</summary>
public static class TokenRevocation
{
    /// <summary>
    /// Null when the user still exists as the same user, is enabled, has not been disabled since the token was issued, and
    /// holds every role the token claims; otherwise why the token is refused, in words for the caller.
    /// </summary>
    /// <param name="holder">The token's user now; null when no such user exists (never created, or deleted).</param>
    public static string? Reason(ClaimsPrincipal token, TokenHolder? holder)
    {
        var name = token.FindFirst(ApiTokenClaims.UserName)?.Value;
        if (name is null
            || !Guid.TryParse(token.FindFirst(ApiTokenClaims.UserId)?.Value, out var userId)
            || !int.TryParse(token.FindFirst(ApiTokenClaims.TokenGeneration)?.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var generation))
        {
            return "The token does not say which user and token generation it was issued to (it predates revocation checks); sign in again for a new token.";
        }

        if (holder is null || holder.UserId != userId)
        {
            return $"The token was revoked: user '{name}' no longer exists.";
        }

        if (holder.Disabled)
        {
            return $"The token was revoked: user '{name}' is disabled.";
        }

        if (generation != holder.TokenGeneration)
        {
            return $"The token was revoked: user '{name}' was disabled after it was issued; sign in again for a new token.";
        }

        var lost = token.FindAll(GatehousePolicies.RoleClaim).Select(c => c.Value).Except(holder.Roles, StringComparer.Ordinal).ToList();
        return lost.Count == 0
            ? null
            : $"The token was revoked: user '{name}' no longer holds the role{(lost.Count == 1 ? "" : "s")} {string.Join(", ", lost)}; "
              + "sign in again for a token with the roles held now.";
    }
}
