using Gatehouse.Contracts;
using Gatehouse.ServiceDefaults.Http;
using Marten;

namespace Gatehouse.Authentication.Users.DeletingUser;

/// <summary>Deleting ends the user for good but keeps the stream: the history stays, the name is never reused.</summary>
public static class DeleteUser
{
    public static void Map(IEndpointRouteBuilder admin) => admin.MapDelete("/users/{name}", Handle);

    /// <param name="activeAdmins">How many users can administer Gatehouse now, this one included.</param>
    public static UserDecision Decide(UserAccount user, int activeAdmins, ApiCaller caller, Guid eventId) =>
        UserDecision.LastAdmin(user, activeAdmins)
        ?? UserDecision.Append(new UserDeleted(user.Id, user.UserName, caller.Name, caller.SourceAddress, caller.CorrelationId, eventId, caller.Now));

    private static async Task<IResult> Handle(ApiCaller caller, string name, IDocumentSession session, CancellationToken cancellationToken)
    {
        var activeAdmins = await UserStore.CountActiveAdminsAsync(session, cancellationToken);
        var (problem, _) = await UserUpdates.DecideAsync(session, name, user => Decide(user, activeAdmins, caller, caller.NewEventId()),
            cancellationToken);
        return problem ?? Results.NoContent();
    }
}
