using Marten;

namespace Gatehouse.Authorization.CommandPolicies.ListingPolicies;

public static class ListCommandPolicies
{
    public static void Map(IEndpointRouteBuilder admin) =>
        admin.MapGet("/command-policies", async (IQuerySession session, CancellationToken cancellationToken) =>
            Results.Ok(await session.Query<CommandPolicy>().Where(p => !p.Removed).OrderBy(p => p.Name).ToListAsync(cancellationToken)));
}
