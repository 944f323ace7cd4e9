using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Gatehouse.ServiceDefaults.Security;
using Microsoft.Extensions.DependencyInjection;

namespace Gatehouse.TestSupport;

/// <summary>
/// For tests of one service that sign API tokens with a key of their own, for users no Authentication service holds:
/// the token carries the holder claims Authentication would put in, and the service is told that every such user exists,
/// is enabled and holds every role a token signed here carries (some tests use roles Gatehouse does not assign, such as
/// "developer"), so the token counts for exactly the roles it claims. Revocation itself is tested
/// against the real Authentication service (EndToEnd.Tests, Authentication.Tests).
/// </summary>
public static class TokensSignedHere
{
    public static Guid UserId(string user) => new(MD5.HashData(Encoding.UTF8.GetBytes(user)));

    private static readonly ConcurrentDictionary<string, bool> SignedRoles = new(GatehousePolicies.Roles.Select(r => KeyValuePair.Create(r, true)));

    public static Dictionary<string, object> Claims(string user, IReadOnlyList<string> roles)
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

    public static IServiceCollection AcceptTokensSignedHere(this IServiceCollection services) =>
        services.AddSingleton<ITokenHolderLookup, EveryUserHoldsEveryRole>();

    private sealed class EveryUserHoldsEveryRole : ITokenHolderLookup
    {
        public Task<TokenHolder?> FindAsync(string userName, CancellationToken cancellationToken) =>
            Task.FromResult<TokenHolder?>(new TokenHolder(userName, UserId(userName), false, [.. SignedRoles.Keys], 0));
    }
}
