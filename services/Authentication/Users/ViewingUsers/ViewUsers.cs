using Gatehouse.Authentication.Api;
using Gatehouse.Authentication.Lockout;
using Marten;

namespace Gatehouse.Authentication.Users.ViewingUsers;

public sealed record KeyView(string Algorithm, string Fingerprint, string? Comment, DateTimeOffset? ExpiresAt, DateTimeOffset AddedAt);

/// <summary>What an operator sees of a user: never a hash or a secret.</summary>
public sealed record UserView(
    Guid UserId,
    string UserName,
    IReadOnlyList<string> Roles,
    bool Disabled,
    bool HasPassword,
    bool MfaEnrolled,
    int RecoveryCodesLeft,
    IReadOnlyList<KeyView> Keys,
    DateTimeOffset? LockedUntil,
    DateTimeOffset CreatedAt)
{
    public static UserView Of(UserAccount user, ThrottleState? throttle) => new(
        user.Id, user.UserName, user.Roles, user.Disabled, user.HasPassword, user.MfaRequired,
        user.MfaRequired ? user.Totp!.RecoveryCodeHashes.Count : 0,
        user.Keys.Select(k => new KeyView(k.Algorithm, k.Fingerprint, k.Comment, k.ExpiresAt, k.AddedAt)).ToArray(),
        throttle?.LockedUntil, user.CreatedAt);
}

public static class ViewUsers
{
    public static async Task<IResult> List(IQuerySession session, CancellationToken cancellationToken)
    {
        var users = await session.Query<UserAccount>().Where(u => !u.Deleted).OrderBy(u => u.UserName).ToListAsync(cancellationToken);
        return Results.Ok(users.Select(u => UserView.Of(u, null)));
    }

    public static async Task<IResult> Get(string name, IQuerySession session, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (await UserStore.FindAsync(session, name, cancellationToken) is not { } user)
        {
            return ApiInput.NotFound($"No user named '{name}'.");
        }

        var throttle = await session.LoadAsync<LoginThrottle>(LoginThrottle.ForUser(user.UserName), cancellationToken);
        var locked = throttle is not null && Throttle.IsLocked(throttle.State, clock.GetUtcNow()) ? throttle.State : null;
        return Results.Ok(UserView.Of(user, locked));
    }
}
