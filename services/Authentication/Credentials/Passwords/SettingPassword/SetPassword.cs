using Gatehouse.Authentication.Users;
using Gatehouse.Contracts;
using Gatehouse.ServiceDefaults.EventStore;
using Gatehouse.ServiceDefaults.Http;
using Marten;

namespace Gatehouse.Authentication.Credentials.Passwords.SettingPassword;

public sealed record SetPasswordRequest(string? Password);

public static class SetPassword
{
    public static void Map(IEndpointRouteBuilder admin) => admin.MapPut("/users/{name}/password", Handle);

    public static async Task<IResult> Handle(ApiCaller caller, string name, HttpContext http, IDocumentSession session,
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

        if (await UserStore.FetchForWritingAsync(session, name, cancellationToken) is not { Aggregate: { } user } stream)
        {
            return ApiProblems.NotFound($"No user named '{name}'.");
        }

        stream.AppendOne(new PasswordHashRecorded(user.Id, hasher.Hash(request.Password!), caller.Now));
        session.AppendAccessEvent(stream.Id, new PasswordChanged(user.Id, user.UserName,
            caller.Name, caller.SourceAddress, caller.CorrelationId, caller.NewEventId(), caller.Now));
        await session.SaveChangesAsync(cancellationToken);
        return Results.NoContent();
    }
}
