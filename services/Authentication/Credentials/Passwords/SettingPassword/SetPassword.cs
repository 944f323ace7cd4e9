using Gatehouse.Authentication.Users;
using Gatehouse.Contracts;
using Gatehouse.ServiceDefaults.Http;
using Marten;

namespace Gatehouse.Authentication.Credentials.Passwords.SettingPassword;

public sealed record SetPasswordRequest(string? Password);

public static class SetPassword
{
    public static void Map(IEndpointRouteBuilder admin) => admin.MapPut("/users/{name}/password", Handle);

    /// <param name="passwordHash">The new password's hash: it stays in this service, the published event says only that it changed.</param>
    public static UserDecision Decide(UserAccount user, string passwordHash, ApiCaller caller, Guid eventId) =>
        UserDecision.Append(
            new PasswordHashRecorded(user.Id, passwordHash, caller.Now),
            new PasswordChanged(user.Id, user.UserName, caller.Name, caller.SourceAddress, caller.CorrelationId, eventId, caller.Now));

    private static async Task<IResult> Handle(ApiCaller caller, string name, HttpContext http, IDocumentSession session,
        PasswordHasher hasher, CancellationToken cancellationToken)
    {
        var (request, problem) = await JsonBody.ReadAsync<SetPasswordRequest>(http.Request);
        if (problem is not null)
        {
            return problem;
        }

        if (PasswordHasher.Validate(request!.Password) is { } error)
        {
            return InputErrors.Invalid("password", error);
        }

        // Hashed once the user is found: Argon2id is deliberately slow.
        var (refused, _) = await UserUpdates.DecideAsync(session, name, user => Decide(user, hasher.Hash(request.Password!), caller, caller.NewEventId()),
            cancellationToken);
        return refused ?? Results.NoContent();
    }
}
