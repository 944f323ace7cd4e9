using Gatehouse.SessionBroker.Api;
using Marten;

namespace Gatehouse.SessionBroker.Vault.RemovingCredential;

/// <summary><c>DELETE /api/vault/credentials/{target}/{login}</c>: forgets a credential; sessions with that login are refused after.</summary>
public static class RemoveCredential
{
    public static void Map(RouteGroupBuilder api) =>
        api.MapDelete("/vault/credentials/{target}/{login}", async (string target, string login, HttpContext http,
            IDocumentSession session, TimeProvider clock, CancellationToken cancellationToken) =>
        {
            target = target.ToLowerInvariant();
            var slot = VaultCredential.SlotId(target, login);
            var credential = await session.LoadAsync<VaultCredential>(slot, cancellationToken);
            if (credential is null || credential.Removed)
            {
                return Results.Problem(statusCode: 404, title: $"The vault holds no credential for {login}@{target}");
            }

            session.Events.Append(slot, new CredentialRemoved(slot, target, login, RequestActor.Of(http), clock.GetUtcNow()));
            await session.SaveChangesAsync(cancellationToken);
            return Results.NoContent();
        });
}
