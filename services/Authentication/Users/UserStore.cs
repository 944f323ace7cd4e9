using Gatehouse.Vocabulary;
using Marten;

namespace Gatehouse.Authentication.Users;

public static class UserStore
{
    /// <summary>The live (not deleted) user of that name, or null.</summary>
    public static Task<UserAccount?> FindAsync(IQuerySession session, string? name, CancellationToken cancellationToken)
    {
        var normalised = UserNames.Normalise(name);
        return session.Query<UserAccount>().SingleOrDefaultAsync(u => u.UserName == normalised && !u.Deleted, cancellationToken);
    }

    /// <summary>How many users can administer Gatehouse now: admins neither disabled nor deleted.</summary>
    public static Task<int> CountActiveAdminsAsync(IQuerySession session, CancellationToken cancellationToken) =>
        session.Query<UserAccount>().CountAsync(u => !u.Deleted && !u.Disabled && u.Roles.Contains(Roles.Admin), cancellationToken);
}
