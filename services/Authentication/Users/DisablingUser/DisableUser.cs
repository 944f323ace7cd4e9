using Gatehouse.Contracts;
using Gatehouse.ServiceDefaults.EventStore;
using Gatehouse.ServiceDefaults.Http;
using Marten;

namespace Gatehouse.Authentication.Users.DisablingUser;

/// <summary>Disabling refuses every credential of the user at once; enabling restores them.</summary>
public static class DisableUser
{
    public static void Map(IEndpointRouteBuilder admin)
    {
        admin.MapPost("/users/{name}/disable", Disable);
        admin.MapPost("/users/{name}/enable", Enable);
    }

    public static async Task<IResult> Disable(ApiCaller caller, string name, HttpContext http, IDocumentSession session, TimeProvider clock,
        CancellationToken cancellationToken)
    {
        if (await UserStore.FetchForWritingAsync(session, name, cancellationToken) is not { Aggregate: { } user } stream)
        {
            return ApiProblems.NotFound($"No user named '{name}'.");
        }

        if (user.Disabled)
        {
            return Results.NoContent();
        }

        if (await UserStore.IsLastActiveAdminAsync(session, user, cancellationToken))
        {
            return ApiProblems.Conflict($"'{user.UserName}' is the last active admin; make someone else admin first.");
        }

        session.AppendAccessEvent(stream.Id, new UserDisabled(user.Id, user.UserName,
            caller.Name, caller.SourceAddress, caller.CorrelationId, caller.NewEventId(), caller.Now));
        await session.SaveChangesAsync(cancellationToken);
        return Results.NoContent();
    }

    public static async Task<IResult> Enable(ApiCaller caller, string name, HttpContext http, IDocumentSession session, TimeProvider clock,
        CancellationToken cancellationToken)
    {
        if (await UserStore.FetchForWritingAsync(session, name, cancellationToken) is not { Aggregate: { } user } stream)
        {
            return ApiProblems.NotFound($"No user named '{name}'.");
        }

        if (!user.Disabled)
        {
            return Results.NoContent();
        }

        session.AppendAccessEvent(stream.Id, new UserEnabled(user.Id, user.UserName,
            caller.Name, caller.SourceAddress, caller.CorrelationId, caller.NewEventId(), caller.Now));
        await session.SaveChangesAsync(cancellationToken);
        return Results.NoContent();
    }
}
