using Gatehouse.Authorization.Decisions;
using Gatehouse.Contracts;
using Gatehouse.ServiceDefaults.EventStore;
using Gatehouse.ServiceDefaults.Http;
using Gatehouse.Vocabulary;
using Marten;

namespace Gatehouse.Authorization.Targets.ChangingTarget;

public sealed record ChangeTargetRequest(string? Address, int? Port, Dictionary<string, string>? Labels, string[]? Logins);

/// <summary>Replaces a target's address, port, labels and logins (the host key is pinned separately).</summary>
public static class ChangeTarget
{
    public static void Map(IEndpointRouteBuilder admin) => admin.MapPut("/targets/{name}", Handle);

    private static async Task<IResult> Handle(ApiCaller caller, string name, ChangeTargetRequest body, IDocumentSession session,
        AccessIndexCache index, CancellationToken cancellationToken)
    {
        var errors = new InputErrors();
        var (address, port, labels, logins) = TargetInput.Validate(errors, body.Address, body.Port, body.Labels, body.Logins);
        if (errors.Any)
        {
            return errors.ToResult();
        }

        if (await ActiveTargets.FindAsync(session, name, cancellationToken) is not { } found)
        {
            return ActiveTargets.NotFound(name);
        }

        var update = await session.GetAndUpdateAsync<Target>(found.Id, target => new TargetChanged(target.Id, target.Name, address, port,
            labels, logins, caller.Name, caller.SourceAddress, caller.CorrelationId, caller.NewEventId(), caller.Now), cancellationToken);
        if (update is not StreamUpdate.Saved)
        {
            return ApiProblems.Conflict("The target changed meanwhile; look at it and try again");
        }

        await index.CatchUpAfterChangeAsync(cancellationToken);
        return Results.Ok(await session.LoadAsync<Target>(found.Id, cancellationToken));
    }
}
