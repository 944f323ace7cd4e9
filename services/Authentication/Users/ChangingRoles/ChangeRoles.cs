using Gatehouse.Contracts;
using Gatehouse.ServiceDefaults.Http;
using Marten;

namespace Gatehouse.Authentication.Users.ChangingRoles;

public sealed record ChangeRolesRequest(string[]? Roles);

public static class ChangeRoles
{
    public static void Map(IEndpointRouteBuilder admin) => admin.MapPut("/users/{name}/roles", Handle);

    /// <param name="roles">The user's new API roles, already checked and normalised.</param>
    /// <param name="activeAdmins">How many users can administer Gatehouse now, this one included.</param>
    public static UserDecision Decide(UserAccount user, IReadOnlyList<string> roles, int activeAdmins, ApiCaller caller, Guid eventId) =>
        (roles.Contains(Roles.Admin) ? null : UserDecision.LastAdmin(user, activeAdmins))
        ?? UserDecision.Append(new UserRolesChanged(user.Id, user.UserName, roles,
            caller.Name, caller.SourceAddress, caller.CorrelationId, eventId, caller.Now, user.Roles));

    private static async Task<IResult> Handle(ApiCaller caller, string name, HttpContext http, IDocumentSession session,
        CancellationToken cancellationToken)
    {
        var (request, problem) = await JsonBody.ReadAsync<ChangeRolesRequest>(http.Request);
        if (problem is not null)
        {
            return problem;
        }

        var errors = new InputErrors();
        var roles = errors.RoleList("roles", request!.Roles);
        if (errors.Any)
        {
            return errors.ToResult();
        }

        var activeAdmins = await UserStore.CountActiveAdminsAsync(session, cancellationToken);
        var (refused, user) = await UserUpdates.DecideAsync(session, name, user => Decide(user, roles, activeAdmins, caller, caller.NewEventId()),
            cancellationToken);
        return refused ?? Results.Ok(new { user!.UserName, Roles = roles });
    }
}
