using Gatehouse.Authentication.SignIn;
using Gatehouse.Authentication.Users;
using Gatehouse.Contracts;
using Gatehouse.ServiceDefaults.EventStore;
using Gatehouse.ServiceDefaults.Http;
using Gatehouse.Vocabulary;
using Marten;

namespace Gatehouse.Authentication.Lockout.UnlockingAccount;

public sealed record UnlockResponse(string UserName, bool WasLocked);

/// <summary>
/// Lifts every lock and block on a user name (its password and second factor, for the account and at each address) and
/// forgets the failures behind them; the addresses' own blocks stay. Unknown names are throttled too (so a throttle does
/// not tell an attacker which names exist), but unlocking one is refused: to an administrator a mistyped name must not
/// look like success.
/// </summary>
public static class UnlockAccount
{
    public static void Map(IEndpointRouteBuilder admin) => admin.MapPost("/users/{name}/unlock", Handle);

    public static async Task<IResult> Handle(ApiCaller caller, string name, IDocumentSession session,
        CancellationToken cancellationToken)
    {
        if (UserNames.Validate(name) is { } error)
        {
            return InputErrors.Invalid("name", error);
        }

        return await UnlockAsync(session, UserNames.Normalise(name), caller, cancellationToken);
    }

    /// <summary>The unlock itself, for an administrator or for break-glass: <see cref="AccountUnlocked"/> names who did it.</summary>
    public static async Task<IResult> UnlockAsync(IDocumentSession session, string userName, ApiCaller caller, CancellationToken cancellationToken)
    {
        if (await UserStore.FindAsync(session, userName, cancellationToken) is null)
        {
            return ApiProblems.NotFound($"No user named '{userName}'; nothing was unlocked. Check the name with 'gatehouse users list'.");
        }

        var locked = (await UserThrottles.LoadAsync(session, userName, cancellationToken))
            .Where(t => Throttle.IsLocked(t.State, caller.Now)).ToList();
        if (locked.Count == 0)
        {
            return Results.Ok(new UnlockResponse(userName, false));
        }

        foreach (var throttle in locked)
        {
            throttle.State = Throttle.Cleared(throttle.State, caller.Now);
            session.Store(throttle);
        }

        session.AppendAccessEvent(LoginStreams.For(caller.CorrelationId), new AccountUnlocked(userName,
            caller.Name, caller.SourceAddress, caller.CorrelationId, caller.NewEventId(), caller.Now));
        await session.SaveChangesAsync(cancellationToken);
        return Results.Ok(new UnlockResponse(userName, true));
    }
}
