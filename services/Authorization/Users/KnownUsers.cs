using Gatehouse.Contracts.Authentication;
using MassTransit;
using Gatehouse.ServiceDefaults.Http;
using Microsoft.Extensions.Options;

namespace Gatehouse.Authorization.Users;

/// <summary>
/// Asks the Authentication service, which owns users, whether a user exists before a grant or a role membership names
/// them. A request rather than a local copy of users: it is exact just after <c>users create</c>, and needs no history
/// of user events this service never received. No answer in time refuses the change (fail closed).
/// </summary>
public sealed class KnownUsers(IRequestClient<FindUser> users, IOptions<AuthorizationSettings> settings)
{
    /// <summary>The user's name as Authentication spells it, or null when there is no such user.</summary>
    /// <exception cref="RequestTimeoutException">Authentication did not answer in time.</exception>
    public async Task<string?> FindAsync(string userName, CancellationToken cancellationToken)
    {
        var reply = await users.GetResponse<UserFound, UserNotFound>(new FindUser(userName), cancellationToken,
            RequestTimeout.After(ms: (int)settings.Value.UserLookupTimeout.TotalMilliseconds));
        return reply.Is(out Response<UserFound>? found) ? found.Message.UserName : null;
    }

    public static string NotFound(string userName) =>
        $"there is no user named '{userName}': create the user first (gatehouse users create), or check the name (gatehouse users list)";

    public static IResult Unanswered(string userName) =>
        ApiProblems.Unavailable(title: "Authentication did not answer",
            detail: $"Cannot check that user '{userName}' exists: the Authentication service did not answer in time. Nothing was stored; try again.");
}
