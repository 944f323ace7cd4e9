using Gatehouse.Authentication.Api;
using Gatehouse.Authentication.Users;
using Gatehouse.Contracts;
using Gatehouse.ServiceDefaults.EventStore;
using Marten;

namespace Gatehouse.Authentication.Credentials.Mfa.RemovingMfa;

/// <summary>For a lost authenticator with no recovery codes left: the admin removes it and the user enrolls again.</summary>
public static class RemoveMfa
{
    public static async Task<IResult> Handle(string name, HttpContext http, IDocumentSession session, TimeProvider clock,
        CancellationToken cancellationToken)
    {
        if (await UserStore.FetchForWritingAsync(session, name, cancellationToken) is not { Aggregate: { } user } stream)
        {
            return ApiInput.NotFound($"No user named '{name}'.");
        }

        if (user.Totp is null)
        {
            return ApiInput.NotFound($"{user.UserName} has no authenticator.");
        }

        var caller = ApiCaller.From(http, clock);
        session.AppendAccessEvent(stream.Id, new MfaRemoved(user.Id, user.UserName,
            caller.Actor, caller.SourceAddress, caller.CorrelationId, caller.NewEventId(), caller.Now));
        await session.SaveChangesAsync(cancellationToken);
        return Results.NoContent();
    }
}
