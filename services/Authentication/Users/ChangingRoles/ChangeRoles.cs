using Gatehouse.Authentication.Api;
using Gatehouse.Contracts;
using Gatehouse.ServiceDefaults.EventStore;
using Gatehouse.ServiceDefaults.Http;
using Marten;

namespace Gatehouse.Authentication.Users.ChangingRoles;

public sealed record ChangeRolesRequest(string[]? Roles);

public static class ChangeRoles
{
    public static async Task<IResult> Handle(ApiCaller caller, string name, HttpContext http, IDocumentSession session,
        CancellationToken cancellationToken)
    {
        var (request, problem) = await ApiInput.ReadJsonAsync<ChangeRolesRequest>(http.Request);
        if (problem is not null)
        {
            return problem;
        }

        var errors = new List<string>();
        var roles = Roles.Normalise(request!.Roles, errors);
        if (errors.Count > 0)
        {
            return ApiInput.Invalid(new Dictionary<string, string[]> { ["roles"] = [.. errors] });
        }

        if (await UserStore.FetchForWritingAsync(session, name, cancellationToken) is not { Aggregate: { } user } stream)
        {
            return ApiInput.NotFound($"No user named '{name}'.");
        }

        if (!roles.Contains(Roles.Admin) && await UserStore.IsLastActiveAdminAsync(session, user, cancellationToken))
        {
            return ApiInput.Conflict($"'{user.UserName}' is the last active admin; make someone else admin first.");
        }

        session.AppendAccessEvent(stream.Id, new UserRolesChanged(user.Id, user.UserName, roles,
            caller.Name, caller.SourceAddress, caller.CorrelationId, caller.NewEventId(), caller.Now));
        await session.SaveChangesAsync(cancellationToken);
        return Results.Ok(new { user.UserName, Roles = roles });
    }
}
