using Gatehouse.Authentication.Api;
using Gatehouse.Authentication.SignIn;
using Gatehouse.Authentication.Users;
using Gatehouse.Contracts;
using Gatehouse.ServiceDefaults.EventStore;
using Marten;

namespace Gatehouse.Authentication.Lockout.UnlockingAccount;

public sealed record UnlockResponse(string UserName, bool WasLocked);

/// <summary>Lifts a lockout and forgets the failures behind it. Works for any user name, since unknown names lock too.</summary>
public static class UnlockAccount
{
    public static async Task<IResult> Handle(string name, HttpContext http, IDocumentSession session, TimeProvider clock,
        CancellationToken cancellationToken)
    {
        if (UserNames.Validate(name) is { } error)
        {
            return ApiInput.Invalid("name", error);
        }

        var userName = UserNames.Normalise(name);
        var caller = ApiCaller.From(http, clock);
        var throttle = await session.LoadAsync<LoginThrottle>(LoginThrottle.ForUser(userName), cancellationToken);
        if (throttle is null || !Throttle.IsLocked(throttle.State, caller.Now))
        {
            return Results.Ok(new UnlockResponse(userName, false));
        }

        throttle.State = ThrottleState.Clear;
        session.Store(throttle);
        session.AppendAccessEvent(LoginStreams.For(caller.CorrelationId), new AccountUnlocked(userName,
            caller.Actor, caller.SourceAddress, caller.CorrelationId, caller.NewEventId(), caller.Now));
        await session.SaveChangesAsync(cancellationToken);
        return Results.Ok(new UnlockResponse(userName, true));
    }
}
