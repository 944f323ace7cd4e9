using Gatehouse.Contracts.Authentication;
using MassTransit;

namespace Gatehouse.ServiceDefaults.Security;

/// <summary>Finds an API token's user as they stand now.</summary>
public interface ITokenHolderLookup
{
    /// <returns>The user, or null when no user of that name exists.</returns>
    /// <exception cref="TokenHolderUnavailableException">The answer cannot be had now.</exception>
    Task<TokenHolder?> FindAsync(string userName, CancellationToken cancellationToken);
}

public sealed class TokenHolderUnavailableException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// Every host but Authentication asks Authentication (<see cref="FindUser"/> on the bus, bounded wait) and keeps the
/// answer in the <see cref="TokenHolderCache"/>.
/// </summary>
public sealed class BusTokenHolderLookup(IBus bus, TokenHolderCache cache, TimeProvider clock, ApiAuthenticationSettings settings)
    : ITokenHolderLookup
{
    public async Task<TokenHolder?> FindAsync(string userName, CancellationToken cancellationToken)
    {
        if (cache.TryGet(userName, clock.GetUtcNow(), out var known))
        {
            return known;
        }

        var changes = cache.Changes;
        TokenHolder? holder;
        try
        {
            var client = bus.CreateRequestClient<FindUser>(RequestTimeout.After(ms: (int)settings.TokenHolderLookupTimeout.TotalMilliseconds));
            var reply = await client.GetResponse<UserFound, UserNotFound>(new FindUser(userName), cancellationToken);
            holder = reply.Is(out Response<UserFound>? found) ? TokenHolder.From(found.Message) : null;
        }
        // No answer, a fault, or no broker: the token cannot be checked, and the caller refuses it.
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TokenHolderUnavailableException($"the Authentication service did not answer within {settings.TokenHolderLookupTimeout.TotalSeconds:0.#} s", ex);
        }

        cache.Remember(userName, holder, clock.GetUtcNow() + settings.TokenHolderCacheLifetime, changes);
        return holder;
    }
}
