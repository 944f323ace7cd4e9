using Gatehouse.Contracts;
using Gatehouse.ServiceDefaults.EventStore;
using Gatehouse.ServiceDefaults.Http;
using Marten;

namespace Gatehouse.Authentication.Users.DeletingUser;

/// <summary>Deleting ends the user for good but keeps the stream: the history stays, the name is never reused.</summary>
public static class DeleteUser
{
    public static void Map(IEndpointRouteBuilder admin) => admin.MapDelete("/users/{name}", Handle);

    public static async Task<IResult> Handle(ApiCaller caller, string name, IDocumentSession session,
        CancellationToken cancellationToken)
    {
        if (await UserStore.FetchForWritingAsync(session, name, cancellationToken) is not { Aggregate: { } user } stream)
        {
            return ApiProblems.NotFound($"No user named '{name}'.");
        }

        if (await UserStore.IsLastActiveAdminAsync(session, user, cancellationToken))
        {
            return ApiProblems.Conflict($"'{user.UserName}' is the last active admin; make someone else admin first.");
        }

        session.AppendAccessEvent(stream.Id, new UserDeleted(user.Id, user.UserName,
            caller.Name, caller.SourceAddress, caller.CorrelationId, caller.NewEventId(), caller.Now));
        await session.SaveChangesAsync(cancellationToken);
        return Results.NoContent();
    }
}
