using Marten;

namespace Gatehouse.SessionBroker.Posture.ListingPosture;

/// <summary>The targets' SSH inventory and findings, with the date of the vulnerability table they were judged by.</summary>
public sealed record PostureList(DateOnly VulnerabilityTableDate, IReadOnlyList<TargetPosture> Targets);

/// <summary><c>GET /api/posture</c> and <c>GET /api/posture/{target}</c>: what each target's sshd told the gateway last, and its findings.</summary>
public static class ListPosture
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/posture", async (IQuerySession session, TargetPostures postures, CancellationToken cancellationToken) =>
            Results.Ok(new PostureList(postures.Table.Date,
                await session.Query<TargetPosture>().OrderBy(p => p.Target).ToListAsync(cancellationToken))));
        api.MapGet("/posture/{target}", async (string target, TargetPostures postures, CancellationToken cancellationToken) =>
            await postures.FindAsync(Gatehouse.Vocabulary.TargetNames.Normalise(target), cancellationToken) is { } found
                ? Results.Ok(found)
                : Gatehouse.ServiceDefaults.Http.ApiProblems.NotFound($"The gateway has not connected to {target} yet, so it knows no posture for it"));
    }
}
