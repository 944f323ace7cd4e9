using Gatehouse.Authentication.Users;
using Gatehouse.Contracts;
using Gatehouse.ServiceDefaults.EventStore;
using Gatehouse.ServiceDefaults.Http;
using Marten;

namespace Gatehouse.Authentication.Credentials.PublicKeys.RemovingKey;

/// <summary>Removes a key by its fingerprint (given as a query parameter, since base64 may contain '/').</summary>
public static class RemovePublicKey
{
    public static void Map(IEndpointRouteBuilder admin) => admin.MapDelete("/users/{name}/keys", Handle);

    public static async Task<IResult> Handle(ApiCaller caller, string name, string? fingerprint, IDocumentSession session,
        CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(fingerprint) || !fingerprint.StartsWith("SHA256:", StringComparison.Ordinal) || fingerprint.Length > 60)
        {
            return InputErrors.Invalid("fingerprint", "Give the key's fingerprint as ?fingerprint=SHA256:...");
        }

        if (await UserStore.FetchForWritingAsync(session, name, cancellationToken) is not { Aggregate: { } user } stream)
        {
            return ApiProblems.NotFound($"No user named '{name}'.");
        }

        if (user.FindKey(fingerprint) is null)
        {
            return ApiProblems.NotFound($"{user.UserName} has no key {fingerprint}.");
        }

        session.AppendAccessEvent(stream.Id, new PublicKeyRemoved(user.Id, user.UserName, fingerprint,
            caller.Name, caller.SourceAddress, caller.CorrelationId, caller.NewEventId(), caller.Now));
        await session.SaveChangesAsync(cancellationToken);
        return Results.NoContent();
    }
}
