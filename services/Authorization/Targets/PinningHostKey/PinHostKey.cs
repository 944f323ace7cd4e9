using Gatehouse.Authorization.Api;
using Gatehouse.Authorization.Decisions;
using Gatehouse.ServiceDefaults.EventStore;
using Gatehouse.ServiceDefaults.Http;
using Gatehouse.Vocabulary;
using Marten;

namespace Gatehouse.Authorization.Targets.PinningHostKey;

public sealed record PinHostKeyRequest(string? HostKey);

/// <summary>An administrator pins (or re-pins after a rotation) a target's host key.</summary>
public static class PinHostKey
{
    public static void Map(IEndpointRouteBuilder admin) => admin.MapPut("/targets/{name}/host-key", Handle);

    private static async Task<IResult> Handle(ApiCaller caller, string name, PinHostKeyRequest body, IDocumentSession session,
        AccessIndexCache index, CancellationToken cancellationToken)
    {
        var key = HostKeys.Parse(body.HostKey);
        if (key is null)
        {
            var errors = new InputErrors();
            errors.Add("hostKey", "is not an OpenSSH public key line such as 'ssh-ed25519 AAAA...'");
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
        var outcome = HostKeyPinning.ByAdministrator(stream.Aggregate!, key, caller.Name, caller.SourceAddress, caller.CorrelationId,
            EventIds.New(now), now);
        if (outcome is HostKeyPinning.Pinned pinned)
        {
            session.AppendAccessEvent(found.Id, pinned.Event);
            try
            {
                await session.SaveChangesAsync(cancellationToken);
            }
            catch (Exception ex) when (StoreErrors.IsConflict(ex))
            {
                return Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "The target changed meanwhile; try again");
            }

            await index.CatchUpAfterChangeAsync(cancellationToken);
        }

        return Results.Ok(await session.LoadAsync<Target>(found.Id, cancellationToken));
    }
}
