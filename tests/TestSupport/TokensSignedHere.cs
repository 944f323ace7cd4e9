using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Gatehouse.ServiceDefaults.Security;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Gatehouse.TestSupport;

/// <summary>
/// For tests of one service that sign API tokens with a key of their own, for users no Authentication service holds:
/// the token is ES256 with the issuer, audience and holder claims Authentication would put in, and the service is told
/// to trust that key and that every such user exists, is enabled and holds every role a token signed here carries (some
/// tests use roles Gatehouse does not assign, such as "developer"), so the token counts for exactly the roles it claims.
/// Revocation itself is tested against the real Authentication service (EndToEnd.Tests, Authentication.Tests).
/// </summary>
public static class TokensSignedHere
{
    /// <summary>One key for the test process: a service trusts it once told to accept tokens signed here.</summary>
    private static readonly ECDsa SigningKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    private static readonly ApiAuthenticationSettings Expected = new();

    public static Guid UserId(string user) => new(MD5.HashData(Encoding.UTF8.GetBytes(user)));

    private static readonly ConcurrentDictionary<string, bool> SignedRoles = new(GatehousePolicies.Roles.Select(r => KeyValuePair.Create(r, true)));

    /// <summary>An API token for <paramref name="user"/> with <paramref name="roles"/>, valid for an hour unless told otherwise.</summary>
    public static string Token(string user, IReadOnlyList<string> roles, TimeSpan? lifetime = null) =>
        new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Expected.Issuer,
            Audience = Expected.Audience,
            Expires = DateTime.UtcNow.Add(lifetime ?? TimeSpan.FromHours(1)),
            Claims = Claims(user, roles),
            SigningCredentials = new SigningCredentials(new ECDsaSecurityKey(SigningKey), SecurityAlgorithms.EcdsaSha256),
        });

    private static Dictionary<string, object> Claims(string user, IReadOnlyList<string> roles)
    {
        foreach (var role in roles)
        {
            SignedRoles.TryAdd(role, true);
        }

        return new Dictionary<string, object>
        {
            [ApiTokenClaims.UserName] = user,
            [GatehousePolicies.RoleClaim] = roles,
            [ApiTokenClaims.UserId] = UserId(user).ToString(),
            [ApiTokenClaims.TokenGeneration] = 0,
        };
    }

    /// <summary>The service checks tokens against the key made here instead of fetching Authentication's JWKS.</summary>
    public static IServiceCollection AcceptTokensSignedHere(this IServiceCollection services) =>
        services
            .PostConfigure<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme, options =>
            {
                options.ConfigurationManager = null;
                options.TokenValidationParameters.IssuerSigningKey = new ECDsaSecurityKey(SigningKey);
            })
            .AddSingleton<ITokenHolderLookup, EveryUserHoldsEveryRole>();

    private sealed class EveryUserHoldsEveryRole : ITokenHolderLookup
    {
        public Task<TokenHolder?> FindAsync(string userName, CancellationToken cancellationToken) =>
            Task.FromResult<TokenHolder?>(new TokenHolder(userName, UserId(userName), false, [.. SignedRoles.Keys], 0));
    }
}
