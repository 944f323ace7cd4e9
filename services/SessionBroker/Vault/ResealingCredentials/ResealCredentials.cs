using Gatehouse.Contracts;
using Gatehouse.ServiceDefaults.EventStore;
using Gatehouse.ServiceDefaults.Http;
using JasperFx;
using JasperFx.Events;
using Gatehouse.SessionBroker.CertificateAuthority;
using Marten;

namespace Gatehouse.SessionBroker.Vault.ResealingCredentials;

/// <summary>
/// <c>POST /api/vault/reseal</c>: seals every credential still under an older key with the active key, so the old
/// key can then be removed from the configuration. All or nothing: when one of them cannot be opened (its key is no
/// longer configured), nothing is re-sealed and the answer names them.
/// </summary>
public static class ResealCredentials
{
    public sealed record Resealed(int Count, string ActiveKey);

    public sealed record Unopenable(string Target, string Login, string KeyId);

    public static void Map(RouteGroupBuilder api) =>
        api.MapPost("/vault/reseal", async (ApiCaller caller, IDocumentSession session, VaultCipher cipher, TimeProvider clock,
            CancellationToken cancellationToken) =>
        {
            var staleIds = await session.Query<VaultCredential>()
                .Where(c => !c.Removed && c.Secret.KeyId != cipher.ActiveKeyId).Select(c => c.Id).ToListAsync(cancellationToken);
            // Read for writing: appended at the version read, so a credential stored meanwhile is never overwritten
            // with the older secret (SaveChanges then fails and nothing is re-sealed).
            var stale = new List<IEventStream<VaultCredential>>();
            foreach (var id in staleIds)
            {
                var stream = await session.Events.FetchForWriting<VaultCredential>(id, cancellationToken);
                if (stream.Aggregate is { Removed: false } current && current.Secret.KeyId != cipher.ActiveKeyId)
                {
                    stale.Add(stream);
                }
            }

            var unopenable = stale.Select(s => s.Aggregate!).Where(c => !cipher.CanOpen(c.Secret))
                .Select(c => new Unopenable(c.Target, c.Login, c.Secret.KeyId)).ToList();
            // The CA keys are sealed with the vault key too: re-sealed in the same save, or an old vault key's removal would stop the CAs.
            var caKeys = await GatehouseCa.ResealAsync(session, cipher, caller.Name, clock.GetUtcNow(), cancellationToken);
            unopenable.AddRange(caKeys.Select(k => new Unopenable("#ca", k, "")));
            if (unopenable.Count > 0)
            {
                return Results.Problem(statusCode: StatusCodes.Status409Conflict,
                    title: "Some credentials are sealed under vault keys that are not configured; nothing was re-sealed",
                    detail: "Configure those keys again, or store these credentials anew (or remove them), then re-seal.",
                    extensions: new Dictionary<string, object?> { ["unopenable"] = unopenable });
            }

            foreach (var stream in stale)
            {
                var current = stream.Aggregate!;
                var secret = cipher.Open(current.Secret, current.Target, current.Login);
                var resealed = new CredentialStored(current.Id, current.Target, current.Login, current.Kind,
                    cipher.Seal(secret, current.Target, current.Login), caller.Name, clock.GetUtcNow());
                Array.Clear(secret);
                stream.AppendOne(resealed);
                session.AppendAccessEvent(current.Id, new TargetCredentialStored(resealed.Target, resealed.Login, resealed.Kind.ToString(),
                    resealed.Secret.KeyId, resealed.StoredBy, caller.SourceAddress, caller.CorrelationId, EventIds.New(resealed.StoredAt),
                    resealed.StoredAt));
            }

            try
            {
                await session.SaveChangesAsync(cancellationToken);
            }
            catch (Exception ex) when (StoreErrors.IsConflict(ex))
            {
                return ApiProblems.Conflict("A credential changed while it was being re-sealed; nothing was re-sealed: run the re-seal again");
            }

            return Results.Ok(new Resealed(stale.Count, cipher.ActiveKeyId));
        });
}
