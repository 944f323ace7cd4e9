using Gatehouse.Authorization.Decisions;
using Gatehouse.Contracts;
using Gatehouse.ServiceDefaults.EventStore;
using Gatehouse.ServiceDefaults.Http;
using Gatehouse.Vocabulary;
using Marten;

namespace Gatehouse.Authorization.Targets.RemovingTarget;

public sealed record RemoveTargetRequest(string? Reason);

/// <summary>Decommissions a target: every new session to it is refused as an unknown target.</summary>
public static class RemoveTarget
{
    public static void Map(IEndpointRouteBuilder admin) => admin.MapPost("/targets/{name}/remove", Handle);

    private static async Task<IResult> Handle(ApiCaller caller, string name, RemoveTargetRequest body, IDocumentSession session,
        AccessIndexCache index, CancellationToken cancellationToken)
    {
        var errors = new InputErrors();
        var reason = errors.Required("reason", body.Reason, 500);
        if (errors.Any)
        {
            return errors.ToResult();
        }

        if (await ActiveTargets.FindAsync(session, name, cancellationToken) is not { } found)
        {
            return ActiveTargets.NotFound(name);
        }

        // Two removals racing: the second is told, instead of recording the removal twice.
        var update = await session.GetAndUpdateAsync<Target>(found.Id, target => new TargetRemoved(target.Id, target.Name, reason,
            caller.Name, caller.SourceAddress, caller.CorrelationId, caller.NewEventId(), caller.Now), cancellationToken);
        if (update is not StreamUpdate.Saved)
        {
            return ApiProblems.Conflict("The target changed meanwhile; look at it and try again");
        }

        await index.CatchUpAfterChangeAsync(cancellationToken);
        return Results.NoContent();
    }
}
