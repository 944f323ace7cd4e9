using Gatehouse.Authorization.Api;
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

        var normalized = TargetNames.Normalise(name);
        var found = await session.Query<Target>().FirstOrDefaultAsync(t => t.Name == normalized && !t.Removed, cancellationToken);
        if (found is null)
        {
            return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: $"There is no target named {name}");
        }

        var stream = await session.Events.FetchForWriting<Target>(found.Id, cancellationToken);
        var now = caller.Now;
        session.AppendAccessEvent(found.Id, new TargetChanged(found.Id, found.Name, address, port, labels, logins,
            caller.Name, caller.SourceAddress, caller.CorrelationId, EventIds.New(now), now));
        try
        {
            await session.SaveChangesAsync(cancellationToken);
        }
        catch (Exception ex) when (StoreErrors.IsConflict(ex))
        {
            return Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "The target changed meanwhile; look at it and try again");
        }

        await index.CatchUpAfterChangeAsync(cancellationToken);
        return Results.Ok(await session.LoadAsync<Target>(stream.Id, cancellationToken));
    }
}
