using Gatehouse.Vocabulary;
using Marten;
using JasperFx.Events;

namespace Gatehouse.Authentication.Users;

public static class UserStore
{
    /// <summary>The live (not deleted) user of that name, or null.</summary>
    public static Task<UserAccount?> FindAsync(IQuerySession session, string? name, CancellationToken cancellationToken)
    {
        var normalised = UserNames.Normalise(name);
        return session.Query<UserAccount>().SingleOrDefaultAsync(u => u.UserName == normalised && !u.Deleted, cancellationToken);
    }

    /// <summary>The user's stream with optimistic concurrency: a concurrent change makes the save fail instead of being overwritten.</summary>
    public static async Task<IEventStream<UserAccount>?> FetchForWritingAsync(IDocumentSession session, string? name,
        CancellationToken cancellationToken) =>
        await FindAsync(session, name, cancellationToken) is { } user
            ? await session.Events.FetchForWriting<UserAccount>(user.Id, cancellationToken)
            : null;

    /// <summary>Whether taking admin away from <paramref name="user"/> would leave nobody able to administer Gatehouse.</summary>
    public static async Task<bool> IsLastActiveAdminAsync(IQuerySession session, UserAccount user, CancellationToken cancellationToken) =>
        user.Roles.Contains(Roles.Admin) && !user.Disabled
        && !await session.Query<UserAccount>().AnyAsync(
            u => u.Id != user.Id && !u.Deleted && !u.Disabled && u.Roles.Contains(Roles.Admin), cancellationToken);
}
