using Gatehouse.Contracts;
using Gatehouse.ServiceDefaults.EventStore;
using Gatehouse.ServiceDefaults.Http;
using Marten;

namespace Gatehouse.Authentication.Users.ChangingRoles;

public sealed record ChangeRolesRequest(string[]? Roles);

public static class ChangeRoles
{
    public static void Map(IEndpointRouteBuilder admin) => admin.MapPut("/users/{name}/roles", Handle);

    public static async Task<IResult> Handle(ApiCaller caller, string name, HttpContext http, IDocumentSession session,
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

        if (await UserStore.FetchForWritingAsync(session, name, cancellationToken) is not { Aggregate: { } user } stream)
        {
            return ApiProblems.NotFound($"No user named '{name}'.");
        }

        if (!roles.Contains(Roles.Admin) && await UserStore.IsLastActiveAdminAsync(session, user, cancellationToken))
        {
            return ApiProblems.Conflict($"'{user.UserName}' is the last active admin; make someone else admin first.");
        }

        session.AppendAccessEvent(stream.Id, new UserRolesChanged(user.Id, user.UserName, roles,
            caller.Name, caller.SourceAddress, caller.CorrelationId, caller.NewEventId(), caller.Now));
        await session.SaveChangesAsync(cancellationToken);
        return Results.Ok(new { user.UserName, Roles = roles });
    }
}
