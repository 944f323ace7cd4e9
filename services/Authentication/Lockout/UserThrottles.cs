using Marten;

namespace Gatehouse.Authentication.Lockout;

/// <summary>Every throttle on one user name: its account locks and its blocks at each address, for both guessable factors.</summary>
public static class UserThrottles
{
    public static async Task<IReadOnlyList<LoginThrottle>> LoadAsync(IQuerySession session, string userName, CancellationToken cancellationToken)
    {
        var accounts = Enum.GetValues<GuessableFactor>().Select(f => LoginThrottle.ForAccount(f, userName)).ToArray();
        var prefixes = Enum.GetValues<GuessableFactor>().Select(f => LoginThrottle.UserAtSourcePrefix(f, userName)).ToArray();
        return await session.Query<LoginThrottle>()
            .Where(t => t.Id.IsOneOf(accounts) || t.Id.StartsWith(prefixes[0]) || t.Id.StartsWith(prefixes[1]))
            .ToListAsync(cancellationToken);
    }

    /// <summary>When the user's password or second factor stops being locked for the account, if it is locked now.</summary>
    public static DateTimeOffset? AccountLockedUntil(IEnumerable<LoginThrottle> throttles, string userName, DateTimeOffset now) =>
        throttles.Where(t => Enum.GetValues<GuessableFactor>().Any(f => t.Id == LoginThrottle.ForAccount(f, userName)) && Throttle.IsLocked(t.State, now))
            .Select(t => t.State.LockedUntil).Max();

    /// <summary>The addresses this user name is blocked at now, by factor, soonest end first.</summary>
    public static IReadOnlyList<AddressBlock> BlockedAt(IEnumerable<LoginThrottle> throttles, string userName, DateTimeOffset now) =>
        Enum.GetValues<GuessableFactor>()
            .SelectMany(f => throttles
                .Where(t => t.Id.StartsWith(LoginThrottle.UserAtSourcePrefix(f, userName), StringComparison.Ordinal) && Throttle.IsLocked(t.State, now))
                .Select(t => new AddressBlock(t.Id[LoginThrottle.UserAtSourcePrefix(f, userName).Length..], LoginThrottle.FactorName(f), t.State.LockedUntil!.Value)))
            .OrderBy(b => b.Until).ToArray();
}

/// <summary>One guessable factor (password or keyboard-interactive) of a user name refused at one address until <paramref name="Until"/>.</summary>
public sealed record AddressBlock(string Address, string Factor, DateTimeOffset Until);
