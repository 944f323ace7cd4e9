using Gatehouse.Contracts;
using Gatehouse.ServiceDefaults.Http;
using Marten;

namespace Gatehouse.Authentication.Users.DisablingUser;

/// <summary>Disabling refuses every credential of the user at once; enabling restores them.</summary>
public static class DisableUser
{
    public static void Map(IEndpointRouteBuilder admin)
    {
        admin.MapPost("/users/{name}/disable", Disable);
        admin.MapPost("/users/{name}/enable", Enable);
    }

    /// <param name="activeAdmins">How many users can administer Gatehouse now, this one included.</param>
    public static UserDecision DecideDisable(UserAccount user, int activeAdmins, ApiCaller caller, Guid eventId) =>
        user.Disabled ? UserDecision.Unchanged
        : UserDecision.LastAdmin(user, activeAdmins)
          ?? UserDecision.Append(new UserDisabled(user.Id, user.UserName, caller.Name, caller.SourceAddress, caller.CorrelationId, eventId, caller.Now));

    public static UserDecision DecideEnable(UserAccount user, ApiCaller caller, Guid eventId) =>
        !user.Disabled ? UserDecision.Unchanged
        : UserDecision.Append(new UserEnabled(user.Id, user.UserName, caller.Name, caller.SourceAddress, caller.CorrelationId, eventId, caller.Now));

    private static async Task<IResult> Disable(ApiCaller caller, string name, IDocumentSession session, CancellationToken cancellationToken)
    {
        var activeAdmins = await UserStore.CountActiveAdminsAsync(session, cancellationToken);
        var (problem, _) = await UserUpdates.DecideAsync(session, name, user => DecideDisable(user, activeAdmins, caller, caller.NewEventId()),
            cancellationToken);
        return problem ?? Results.NoContent();
    }

    private static async Task<IResult> Enable(ApiCaller caller, string name, IDocumentSession session, CancellationToken cancellationToken)
    {
        var (problem, _) = await UserUpdates.DecideAsync(session, name, user => DecideEnable(user, caller, caller.NewEventId()), cancellationToken);
        return problem ?? Results.NoContent();
    }
}
