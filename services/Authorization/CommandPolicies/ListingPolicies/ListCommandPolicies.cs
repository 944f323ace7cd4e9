using Gatehouse.Authorization.Roles;
using Marten;

namespace Gatehouse.Authorization.CommandPolicies.ListingPolicies;

public static class ListCommandPolicies
{
    public static void Map(IEndpointRouteBuilder admin) =>
        admin.MapGet("/command-policies", async (IQuerySession session, CancellationToken cancellationToken) =>
        {
            var policies = await session.Query<CommandPolicy>().Where(p => !p.Removed).OrderBy(p => p.Name).ToListAsync(cancellationToken);
            var accessRoles = await RolesBeforeTheSplit.AccessRoleNamesAsync(session, cancellationToken);
            return Results.Ok(policies.Select(p => RolesBeforeTheSplit.Upgrade(p, accessRoles)).ToList());
        });
}
