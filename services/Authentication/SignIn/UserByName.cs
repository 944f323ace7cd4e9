using System.Linq.Expressions;
using Gatehouse.Authentication.Users;
using Marten.Linq;

namespace Gatehouse.Authentication.SignIn;

/// <summary>The login's user lookup as a compiled query: Marten plans its SQL once instead of on every login.</summary>
public sealed class UserByName : ICompiledQuery<UserAccount, UserAccount?>
{
    public string UserName { get; init; } = "";

    public Expression<Func<IMartenQueryable<UserAccount>, UserAccount?>> QueryIs() =>
        users => users.SingleOrDefault(u => u.UserName == UserName && !u.Deleted);
}
