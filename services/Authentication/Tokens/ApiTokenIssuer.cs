using System.Globalization;
using System.Security.Claims;
using Gatehouse.Authentication.Tokens.SigningKeys;
using Gatehouse.Authentication.Users;
using Gatehouse.ServiceDefaults.Security;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Gatehouse.Authentication.Tokens;

public sealed record IssuedToken(string Token, string TokenId, DateTimeOffset ExpiresAt);

/// <summary>
/// Short-lived ES256 JWTs carrying the user's name (<c>sub</c>), id (<c>uid</c>), token generation (<c>tgen</c>) and roles
/// (<c>role</c>); every service checks the last three against the user as they stand now (<see cref="TokenRevocation"/>).
/// </summary>
public sealed class ApiTokenIssuer(ApiSigningKeys keys, IOptions<AuthenticationSettings> options)
{
    private readonly JsonWebTokenHandler _handler = new();

    public IssuedToken Issue(UserAccount user, string tokenId, DateTimeOffset now)
    {
        var settings = options.Value.Tokens;
        var expires = now + settings.Lifetime;
        var claims = new ClaimsIdentity([
            new Claim(ApiTokenClaims.UserName, user.UserName),
            new Claim("jti", tokenId),
            new Claim(ApiTokenClaims.UserId, user.Id.ToString()),
            new Claim(ApiTokenClaims.TokenGeneration, user.TokenGeneration.ToString(CultureInfo.InvariantCulture), ClaimValueTypes.Integer32),
        ]);
        claims.AddClaims(user.Roles.Select(role => new Claim(GatehousePolicies.RoleClaim, role)));
        var token = _handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = settings.Issuer,
            Audience = settings.Audience,
            Subject = claims,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = expires.UtcDateTime,
            SigningCredentials = keys.Current(),
        });
        return new IssuedToken(token, tokenId, expires);
    }
}
