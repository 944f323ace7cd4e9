using Gatehouse.Authentication.Users;
using Gatehouse.ServiceDefaults.Security;
using Marten;

namespace Gatehouse.Authentication.Tokens.CheckingTokenHolder;

/// <summary>This service owns users, so it checks its own API calls' tokens against its store, always current and without a cache.</summary>
public sealed class StoredTokenHolders(IDocumentStore store) : ITokenHolderLookup
{
    public async Task<TokenHolder?> FindAsync(string userName, CancellationToken cancellationToken)
    {
        await using var session = store.QuerySession();
        return await UserStore.FindAsync(session, userName, cancellationToken) is { } user ? From(user) : null;
    }

    public static TokenHolder From(UserAccount user) => new(user.UserName, user.Id, user.Disabled, user.Roles, user.TokenGeneration);
}
