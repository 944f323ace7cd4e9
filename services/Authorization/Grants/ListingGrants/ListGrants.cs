using Gatehouse.Authorization.Roles;
using Marten;
using Gatehouse.ServiceDefaults.Http;

namespace Gatehouse.Authorization.Grants.ListingGrants;

public static class ListGrants
{
    public static void Map(IEndpointRouteBuilder admin)
    {
        admin.MapGet("/grants", async (string? subject, bool? includeRevoked, IQuerySession session, CancellationToken cancellationToken) =>
        {
            var grants = session.Query<Grant>().AsQueryable();
            if (!string.IsNullOrWhiteSpace(subject))
            {
                grants = grants.Where(g => g.Subject == subject);
            }

            if (includeRevoked != true)
            {
                grants = grants.Where(g => g.RevokedAt == null);
            }

            var found = await grants.OrderBy(g => g.IssuedAt).Take(1000).ToListAsync(cancellationToken);
            var accessRoles = await RolesBeforeTheSplit.AccessRoleNamesAsync(session, cancellationToken);
            return Results.Ok(found.Select(g => RolesBeforeTheSplit.Upgrade(g, accessRoles)).ToList());
        });

        admin.MapGet("/grants/{id:guid}", async (Guid id, IQuerySession session, CancellationToken cancellationToken) =>
            await session.LoadAsync<Grant>(id, cancellationToken) is { } grant
                ? Results.Ok(RolesBeforeTheSplit.Upgrade(grant, await RolesBeforeTheSplit.AccessRoleNamesAsync(session, cancellationToken)))
                : ApiProblems.NotFound($"There is no grant {id}"));
    }
}
