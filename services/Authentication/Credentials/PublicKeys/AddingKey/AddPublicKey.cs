using Gatehouse.Authentication.Users;
using Gatehouse.Contracts;
using Gatehouse.ServiceDefaults.Http;
using Gatehouse.Vocabulary;
using Marten;

namespace Gatehouse.Authentication.Credentials.PublicKeys.AddingKey;

/// <param name="PublicKey">One authorized_keys line: <c>ssh-ed25519 AAAA... comment</c>.</param>
public sealed record AddPublicKeyRequest(string? PublicKey, DateTimeOffset? ExpiresAt);

public sealed record PublicKeyAddedResponse(string Algorithm, string Fingerprint, string? Comment, DateTimeOffset? ExpiresAt);

public static class AddPublicKey
{
    public const int MaxKeysPerUser = 50;

    public static void Map(IEndpointRouteBuilder admin) => admin.MapPost("/users/{name}/keys", Handle);

    /// <param name="holder">The live user who holds this key now, if any.</param>
    public static UserDecision Decide(UserAccount user, OpenSshPublicKey key, string? comment, DateTimeOffset? expiresAt, string? holder,
        ApiCaller caller, Guid eventId)
    {
        if (user.FindKey(key.Fingerprint) is not null)
        {
            return UserDecision.Conflict($"{user.UserName} already has the key {key.Fingerprint}.");
        }

        // One key, one person: a key shared between users would make the audit trail ambiguous.
        if (holder is not null && holder != user.UserName)
        {
            return UserDecision.Conflict($"The key {key.Fingerprint} belongs to another user ({holder}).");
        }

        if (user.Keys.Count >= MaxKeysPerUser)
        {
            return UserDecision.Conflict($"{user.UserName} already has {MaxKeysPerUser} keys; remove one first.");
        }

        return UserDecision.Append(new PublicKeyAdded(user.Id, user.UserName, key.Algorithm, key.Base64, key.Fingerprint, comment, expiresAt,
            caller.Name, caller.SourceAddress, caller.CorrelationId, eventId, caller.Now));
    }

    private static async Task<IResult> Handle(ApiCaller caller, string name, HttpContext http, IDocumentSession session,
        CancellationToken cancellationToken)
    {
        var (request, problem) = await JsonBody.ReadAsync<AddPublicKeyRequest>(http.Request);
        if (problem is not null)
        {
            return problem;
        }

        var (key, comment, keyError) = OpenSshPublicKey.ParseAuthorizedKey(request!.PublicKey);
        if (keyError is not null)
        {
            return InputErrors.Invalid("publicKey", keyError);
        }

        if (request.ExpiresAt <= caller.Now)
        {
            return InputErrors.Invalid("expiresAt", "Expiry must be in the future.");
        }

        var fingerprint = key!.Fingerprint;
        var holder = (await session.Query<UserAccount>()
            .FirstOrDefaultAsync(u => !u.Deleted && u.Keys.Any(k => k.Fingerprint == fingerprint), cancellationToken))?.UserName;
        var (refused, user) = await UserUpdates.DecideAsync(session, name,
            user => Decide(user, key, comment, request.ExpiresAt, holder, caller, caller.NewEventId()), cancellationToken);
        return refused ?? Results.Created($"/api/users/{user!.UserName}/keys",
            new PublicKeyAddedResponse(key.Algorithm, key.Fingerprint, comment, request.ExpiresAt));
    }
}
