using Gatehouse.Authorization.Api;
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

        var normalized = TargetNames.Normalise(name);
        var found = await session.Query<Target>().FirstOrDefaultAsync(t => t.Name == normalized && !t.Removed, cancellationToken);
        if (found is null)
        {
            return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: $"There is no target named {name}");
        }

        var now = caller.Now;
        session.AppendAccessEvent(found.Id, new TargetRemoved(found.Id, found.Name, reason, caller.Name, caller.SourceAddress,
            caller.CorrelationId, EventIds.New(now), now));
        await session.SaveChangesAsync(cancellationToken);
        await index.CatchUpAfterChangeAsync(cancellationToken);
        return Results.NoContent();
    }
}
