using Gatehouse.Authentication.Users;
using Gatehouse.Contracts;
using Gatehouse.ServiceDefaults.Http;
using Marten;

namespace Gatehouse.Authentication.Credentials.PublicKeys.RemovingKey;

/// <summary>Removes a key by its fingerprint (given as a query parameter, since base64 may contain '/').</summary>
public static class RemovePublicKey
{
    public static void Map(IEndpointRouteBuilder admin) => admin.MapDelete("/users/{name}/keys", Handle);

    public static UserDecision Decide(UserAccount user, string fingerprint, ApiCaller caller, Guid eventId) =>
        user.FindKey(fingerprint) is null
            ? UserDecision.NotFound($"{user.UserName} has no key {fingerprint}.")
            : UserDecision.Append(new PublicKeyRemoved(user.Id, user.UserName, fingerprint,
                caller.Name, caller.SourceAddress, caller.CorrelationId, eventId, caller.Now));

    private static async Task<IResult> Handle(ApiCaller caller, string name, string? fingerprint, IDocumentSession session,
        CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(fingerprint) || !fingerprint.StartsWith("SHA256:", StringComparison.Ordinal) || fingerprint.Length > 60)
        {
            return InputErrors.Invalid("fingerprint", "Give the key's fingerprint as ?fingerprint=SHA256:...");
        }

        var (problem, _) = await UserUpdates.DecideAsync(session, name, user => Decide(user, fingerprint, caller, caller.NewEventId()),
            cancellationToken);
        return problem ?? Results.NoContent();
    }
}
