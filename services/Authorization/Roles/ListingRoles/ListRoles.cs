using Gatehouse.Vocabulary;
using Marten;
using Gatehouse.ServiceDefaults.Http;

namespace Gatehouse.Authorization.Roles.ListingRoles;

public static class ListRoles
{
    public static void Map(IEndpointRouteBuilder admin)
    {
        admin.MapGet("/roles", async (IQuerySession session, CancellationToken cancellationToken) =>
            Results.Ok(await session.Query<Role>().OrderBy(r => r.Name).ToListAsync(cancellationToken)));

        admin.MapGet("/roles/{name}", async (string name, IQuerySession session, CancellationToken cancellationToken) =>
        {
            var normalised = TargetNames.Normalise(name);
            return await session.Query<Role>().FirstOrDefaultAsync(r => r.Name == normalised, cancellationToken) is { } role
                ? Results.Ok(role)
                : ApiProblems.NotFound($"There is no role named {name}");
        });
    }
}
