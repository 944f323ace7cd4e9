using Gatehouse.Contracts;
using Gatehouse.ServiceDefaults.EventStore;
using Gatehouse.SessionBroker.Api;
using Marten;

namespace Gatehouse.SessionBroker.Vault.ResealingCredentials;

/// <summary>
/// <c>POST /api/vault/reseal</c>: seals every credential still under an older key with the active key, so the old
/// key can then be removed from the configuration.
/// </summary>
public static class ResealCredentials
{
    public sealed record Resealed(int Count, string ActiveKey);

    public static void Map(RouteGroupBuilder api) =>
        api.MapPost("/vault/reseal", async (HttpContext http, IDocumentSession session, VaultCipher cipher, TimeProvider clock,
            CancellationToken cancellationToken) =>
        {
            var stale = await session.Query<VaultCredential>()
                .Where(c => !c.Removed && c.Secret.KeyId != cipher.ActiveKeyId).ToListAsync(cancellationToken);
            foreach (var credential in stale)
            {
                var secret = cipher.Open(credential.Secret, credential.Target, credential.Login);
                var resealed = new CredentialStored(credential.Id, credential.Target, credential.Login, credential.Kind,
                    cipher.Seal(secret, credential.Target, credential.Login), RequestActor.Of(http), clock.GetUtcNow());
                Array.Clear(secret);
                session.Events.Append(credential.Id, resealed);
                session.AppendAccessEvent(credential.Id, new TargetCredentialStored(resealed.Target, resealed.Login, resealed.Kind.ToString(),
                    resealed.Secret.KeyId, resealed.StoredBy, RequestActor.SourceOf(http), RequestActor.CorrelationOf(http), Guid.NewGuid(),
                    resealed.StoredAt));
            }

            await session.SaveChangesAsync(cancellationToken);
            return Results.Ok(new Resealed(stale.Count, cipher.ActiveKeyId));
        });
}
