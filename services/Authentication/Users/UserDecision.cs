using Gatehouse.ServiceDefaults.EventStore;
using Gatehouse.ServiceDefaults.Http;
using Marten;

namespace Gatehouse.Authentication.Users;

/// <summary>Why a command on a user is refused: 400 names the field, 404 and 409 say what to do.</summary>
public sealed record UserRefusal(int StatusCode, string Reason, string? Field = null)
{
    public IResult ToResult() => StatusCode switch
    {
        StatusCodes.Status400BadRequest => InputErrors.Invalid(Field ?? "body", Reason),
        StatusCodes.Status404NotFound => ApiProblems.NotFound(Reason),
        _ => ApiProblems.Conflict(Reason),
    };
}

/// <summary>
/// What an administrator's command does to a user, decided by a pure function of the user as stored, the command and
/// the time: the events to append in order (none: nothing changes), or why it is refused.
/// </summary>
public sealed record UserDecision(IReadOnlyList<object> Events, UserRefusal? Refusal = null) : IStreamDecision
{
    public static readonly UserDecision Unchanged = new([]);

    public static UserDecision Append(params object[] events) => new(events);

    public static UserDecision Invalid(string field, string reason) => new([], new UserRefusal(StatusCodes.Status400BadRequest, reason, field));

    public static UserDecision NotFound(string reason) => new([], new UserRefusal(StatusCodes.Status404NotFound, reason));

    public static UserDecision Conflict(string reason) => new([], new UserRefusal(StatusCodes.Status409Conflict, reason));

    /// <summary>Nobody may take away the last way to administer Gatehouse.</summary>
    /// <param name="activeAdmins">How many users are admins, neither disabled nor deleted, this one included.</param>
    public static UserDecision? LastAdmin(UserAccount user, int activeAdmins) =>
        user.Roles.Contains(Roles.Admin) && !user.Disabled && !user.Deleted && activeAdmins <= 1
            ? Conflict($"'{user.UserName}' is the last active admin; make someone else admin first.")
            : null;
}

public static class UserUpdates
{
    /// <summary>
    /// Fetch, decide, append, save for the live user of that name: the answer to give when nothing was stored for a
    /// reason (no such user, a refusal, another writer first), else null; and the user as it was decided on.
    /// </summary>
    public static async Task<(IResult? Problem, UserAccount? User)> DecideAsync(IDocumentSession session, string name,
        Func<UserAccount, UserDecision> decide, CancellationToken cancellationToken)
    {
        if (await UserStore.FindAsync(session, name, cancellationToken) is not { } found)
        {
            return (ApiProblems.NotFound($"No user named '{name}'."), null);
        }

        UserAccount? decidedOn = null;
        var (update, decision) = await session.GetAndUpdateAsync<UserAccount, UserDecision>(found.Id,
            user => decide(decidedOn = user), cancellationToken);
        var problem = decision?.Refusal?.ToResult() ?? update switch
        {
            StreamUpdate.NotFound => ApiProblems.NotFound($"No user named '{name}'."),
            StreamUpdate.Conflict => ApiProblems.Conflict($"'{found.UserName}' changed meanwhile; nothing was stored: try again."),
            _ => null,
        };
        return (problem, decidedOn);
    }
}
