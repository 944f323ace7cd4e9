using Gatehouse.Contracts;
using Gatehouse.ServiceDefaults.EventStore;
using Gatehouse.ServiceDefaults.Http;
using Gatehouse.Vocabulary;
using Marten;

namespace Gatehouse.SessionBroker.Vault.RemovingCredential;

/// <summary>The vault's own record of a removal and the access event everyone else hears; none when the slot is already empty.</summary>
public sealed record CredentialRemoval(IReadOnlyList<object> Events) : IStreamDecision;

/// <summary><c>DELETE /api/vault/credentials/{target}/{login}</c>: forgets a credential; sessions with that login are refused after.</summary>
public static class RemoveCredential
{
    public static void Map(RouteGroupBuilder api) =>
        api.MapDelete("/vault/credentials/{target}/{login}", async (string target, string login, ApiCaller caller,
            IDocumentSession session, TimeProvider clock, CancellationToken cancellationToken) =>
        {
            target = TargetNames.Normalise(target);
            var now = clock.GetUtcNow();
            var (update, _) = await session.GetAndUpdateAsync<VaultCredential, CredentialRemoval>(VaultCredential.SlotId(target, login),
                credential => Decide(credential, caller, EventIds.New(now), now), cancellationToken);
            return update switch
            {
                StreamUpdate.Saved => Results.NoContent(),
                // Two removals at once: the second is told, instead of recording the removal twice.
                StreamUpdate.Conflict => ApiProblems.Conflict($"The credential for {login}@{target} changed meanwhile; look at it and try again"),
                _ => ApiProblems.NotFound($"The vault holds no credential for {login}@{target}"),
            };
        });

    public static CredentialRemoval Decide(VaultCredential credential, ApiCaller caller, Guid eventId, DateTimeOffset now) =>
        credential.Removed
            ? new CredentialRemoval([])
            : new CredentialRemoval([
                new CredentialRemoved(credential.Id, credential.Target, credential.Login, caller.Name, now),
                new TargetCredentialRemoved(credential.Target, credential.Login, caller.Name, caller.SourceAddress, caller.CorrelationId,
                    eventId, now),
            ]);
}
