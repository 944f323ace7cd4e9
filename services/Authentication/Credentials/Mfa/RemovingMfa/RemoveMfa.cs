using Gatehouse.Authentication.Users;
using Gatehouse.Contracts;
using Gatehouse.ServiceDefaults.EventStore;
using Gatehouse.ServiceDefaults.Http;
using Marten;

namespace Gatehouse.Authentication.Credentials.Mfa.RemovingMfa;

/// <summary>For a lost authenticator with no recovery codes left: the admin removes it and the user enrolls again.</summary>
public static class RemoveMfa
{
    public static void Map(IEndpointRouteBuilder admin) => admin.MapDelete("/users/{name}/mfa", Handle);

    public static async Task<IResult> Handle(ApiCaller caller, string name, IDocumentSession session,
        CancellationToken cancellationToken)
    {
        if (await UserStore.FetchForWritingAsync(session, name, cancellationToken) is not { Aggregate: { } user } stream)
        {
            return ApiProblems.NotFound($"No user named '{name}'.");
        }

        if (user.Totp is null)
        {
            return ApiProblems.NotFound($"{user.UserName} has no authenticator.");
        }

        session.AppendAccessEvent(stream.Id, new MfaRemoved(user.Id, user.UserName,
            caller.Name, caller.SourceAddress, caller.CorrelationId, caller.NewEventId(), caller.Now));
        await session.SaveChangesAsync(cancellationToken);
        return Results.NoContent();
    }
}
