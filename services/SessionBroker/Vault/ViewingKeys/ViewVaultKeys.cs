using Marten;

namespace Gatehouse.SessionBroker.Vault.ViewingKeys;

/// <summary>
/// <c>GET /api/vault/keys</c>: the active vault key, the configured ones, and how many credentials each key seals, so an
/// operator knows when an old key holds nothing any more and can be removed, and which credentials no configured key
/// opens. Key ids only: key material never leaves the configuration.
/// </summary>
public static class ViewVaultKeys
{
    public sealed record VaultKeys(string ActiveKey, IReadOnlyList<VaultKeyUse> Keys, IReadOnlyList<VaultEntry> Unopenable);

    public sealed record VaultKeyUse(string KeyId, bool Configured, int Credentials);

    public static void Map(RouteGroupBuilder api) =>
        api.MapGet("/vault/keys", async (IQuerySession session, VaultCipher cipher, CancellationToken cancellationToken) =>
        {
            var credentials = await session.Query<VaultCredential>().Where(c => !c.Removed).ToListAsync(cancellationToken);
            var sealedBy = credentials.GroupBy(c => c.Secret.KeyId).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
            var keys = cipher.KeyIds.Union(sealedBy.Keys, StringComparer.Ordinal).Order(StringComparer.Ordinal)
                .Select(id => new VaultKeyUse(id, cipher.KeyIds.Contains(id), sealedBy.GetValueOrDefault(id)))
                .ToList();
            var unopenable = credentials.Where(c => !cipher.CanOpen(c.Secret)).OrderBy(c => c.Target).ThenBy(c => c.Login)
                .Select(VaultEntry.Of).ToList();
            return Results.Ok(new VaultKeys(cipher.ActiveKeyId, keys, unopenable));
        });
}
