using Gatehouse.Authentication.Api;
using Gatehouse.Authentication.SignIn;
using Gatehouse.Authentication.Users;
using Gatehouse.Contracts;
using Gatehouse.ServiceDefaults.EventStore;
using Gatehouse.Vocabulary;
using Marten;

namespace Gatehouse.Authentication.Lockout.UnlockingAccount;

public sealed record UnlockResponse(string UserName, bool WasLocked);

/// <summary>
/// Lifts a lockout and forgets the failures behind it. Unknown names lock too (so a lockout does not tell an attacker
/// which names exist), but unlocking one is refused: to an administrator a mistyped name must not look like success.
/// </summary>
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
        if (await UserStore.FindAsync(session, userName, cancellationToken) is null)
        {
            return ApiInput.NotFound($"No user named '{userName}'; nothing was unlocked. Check the name with 'gatehouse users list'.");
        }

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
