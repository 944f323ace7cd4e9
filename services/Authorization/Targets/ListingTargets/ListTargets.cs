using Gatehouse.Vocabulary;
using Marten;
using Gatehouse.ServiceDefaults.Http;

namespace Gatehouse.Authorization.Targets.ListingTargets;

public static class ListTargets
{
    public static void Map(IEndpointRouteBuilder admin)
    {
        admin.MapGet("/targets", async (IQuerySession session, CancellationToken cancellationToken) =>
            Results.Ok(await session.Query<Target>().Where(t => !t.Removed).OrderBy(t => t.Name).ToListAsync(cancellationToken)));

        admin.MapGet("/targets/{name}", async (string name, IQuerySession session, CancellationToken cancellationToken) =>
        {
            var normalized = TargetNames.Normalise(name);
            return await session.Query<Target>().FirstOrDefaultAsync(t => t.Name == normalized, cancellationToken) is { } target
                ? Results.Ok(target)
                : ApiProblems.NotFound($"There is no target named {name}");
        });
    }
}
