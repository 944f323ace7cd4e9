using Marten;

namespace Gatehouse.SessionBroker.Vault.ListingCredentials;

/// <summary><c>GET /api/vault/credentials</c>: which target logins have a credential, and under which vault key.</summary>
public static class ListCredentials
{
    public static void Map(RouteGroupBuilder api) =>
        api.MapGet("/vault/credentials", async (IQuerySession session, CancellationToken cancellationToken) =>
        {
            var credentials = await session.Query<VaultCredential>().Where(c => !c.Removed)
                .OrderBy(c => c.Target).ThenBy(c => c.Login).ToListAsync(cancellationToken);
            return Results.Ok(credentials.Select(VaultEntry.Of));
        });
}
