using Gatehouse.Authentication.Lockout;
using Marten;
using Gatehouse.ServiceDefaults.Http;

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
    IReadOnlyList<AddressBlock> BlockedAt,
    DateTimeOffset CreatedAt)
{
    /// <param name="lockedUntil">When the account lock on the user's password or second factor ends.</param>
    /// <param name="blockedAt">The addresses where too many failures block the user's password or second factor.</param>
    public static UserView Of(UserAccount user, DateTimeOffset? lockedUntil, IReadOnlyList<AddressBlock> blockedAt) => new(
        user.Id, user.UserName, user.Roles, user.Disabled, user.HasPassword, user.MfaRequired,
        user.MfaRequired ? user.Totp!.RecoveryCodeHashes.Count : 0,
        user.Keys.Select(k => new KeyView(k.Algorithm, k.Fingerprint, k.Comment, k.ExpiresAt, k.AddedAt)).ToArray(),
        lockedUntil, blockedAt, user.CreatedAt);
}

public static class ViewUsers
{
    public static void Map(IEndpointRouteBuilder admin)
    {
        admin.MapGet("/users", List);
        admin.MapGet("/users/{name}", Get);
    }

    public static async Task<IResult> List(IQuerySession session, CancellationToken cancellationToken)
    {
        var users = await session.Query<UserAccount>().Where(u => !u.Deleted).OrderBy(u => u.UserName).ToListAsync(cancellationToken);
        return Results.Ok(users.Select(u => UserView.Of(u, null, [])));
    }

    public static async Task<IResult> Get(string name, IQuerySession session, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (await UserStore.FindAsync(session, name, cancellationToken) is not { } user)
        {
            return ApiProblems.NotFound($"No user named '{name}'.");
        }

        var throttles = await UserThrottles.LoadAsync(session, user.UserName, cancellationToken);
        var now = clock.GetUtcNow();
        return Results.Ok(UserView.Of(user, UserThrottles.AccountLockedUntil(throttles, user.UserName, now),
            UserThrottles.BlockedAt(throttles, user.UserName, now)));
    }
}
