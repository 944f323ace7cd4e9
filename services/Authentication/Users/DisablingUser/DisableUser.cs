using Gatehouse.Authentication.Api;
using Gatehouse.Contracts;
using Gatehouse.ServiceDefaults.EventStore;
using Marten;

namespace Gatehouse.Authentication.Users.DisablingUser;

/// <summary>Disabling refuses every credential of the user at once; enabling restores them.</summary>
public static class DisableUser
{
    public static async Task<IResult> Disable(string name, HttpContext http, IDocumentSession session, TimeProvider clock,
        CancellationToken cancellationToken)
    {
        if (await UserStore.FetchForWritingAsync(session, name, cancellationToken) is not { Aggregate: { } user } stream)
        {
            return ApiInput.NotFound($"No user named '{name}'.");
        }

        if (user.Disabled)
        {
            return Results.NoContent();
        }

        if (await UserStore.IsLastActiveAdminAsync(session, user, cancellationToken))
        {
            return ApiInput.Conflict($"'{user.UserName}' is the last active admin; make someone else admin first.");
        }

        var caller = ApiCaller.From(http, clock);
        session.AppendAccessEvent(stream.Id, new UserDisabled(user.Id, user.UserName,
            caller.Actor, caller.SourceAddress, caller.CorrelationId, caller.NewEventId(), caller.Now));
        await session.SaveChangesAsync(cancellationToken);
        return Results.NoContent();
    }

    public static async Task<IResult> Enable(string name, HttpContext http, IDocumentSession session, TimeProvider clock,
        CancellationToken cancellationToken)
    {
        if (await UserStore.FetchForWritingAsync(session, name, cancellationToken) is not { Aggregate: { } user } stream)
        {
            return ApiInput.NotFound($"No user named '{name}'.");
        }

        if (!user.Disabled)
        {
            return Results.NoContent();
        }

        var caller = ApiCaller.From(http, clock);
        session.AppendAccessEvent(stream.Id, new UserEnabled(user.Id, user.UserName,
            caller.Actor, caller.SourceAddress, caller.CorrelationId, caller.NewEventId(), caller.Now));
        await session.SaveChangesAsync(cancellationToken);
        return Results.NoContent();
    }
}
