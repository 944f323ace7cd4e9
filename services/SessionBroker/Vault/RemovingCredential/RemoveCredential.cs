using Gatehouse.Contracts;
using Gatehouse.ServiceDefaults.EventStore;
using Gatehouse.ServiceDefaults.Http;
using Gatehouse.Vocabulary;
using Marten;

namespace Gatehouse.SessionBroker.Vault.RemovingCredential;

/// <summary><c>DELETE /api/vault/credentials/{target}/{login}</c>: forgets a credential; sessions with that login are refused after.</summary>
public static class RemoveCredential
{
    public static void Map(RouteGroupBuilder api) =>
        api.MapDelete("/vault/credentials/{target}/{login}", async (string target, string login, ApiCaller caller,
            IDocumentSession session, TimeProvider clock, CancellationToken cancellationToken) =>
        {
            target = TargetNames.Normalise(target);
            var slot = VaultCredential.SlotId(target, login);
            var credential = await session.LoadAsync<VaultCredential>(slot, cancellationToken);
            if (credential is null || credential.Removed)
            {
                return ApiProblems.NotFound($"The vault holds no credential for {login}@{target}");
            }

            var removed = new CredentialRemoved(slot, target, login, caller.Name, clock.GetUtcNow());
            session.Events.Append(slot, removed);
            session.AppendAccessEvent(slot, new TargetCredentialRemoved(target, login, removed.RemovedBy, caller.SourceAddress,
                caller.CorrelationId, EventIds.New(removed.RemovedAt), removed.RemovedAt));
            await session.SaveChangesAsync(cancellationToken);
            return Results.NoContent();
        });
}
