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

        if (await ActiveTargets.FindAsync(session, name, cancellationToken) is not { } found)
        {
            return ActiveTargets.NotFound(name);
        }

        var update = await session.GetAndUpdateAsync<Target>(found.Id, target => HostKeyPinning.ByAdministrator(target, key, caller.Name,
            caller.SourceAddress, caller.CorrelationId, caller.NewEventId(), caller.Now) is HostKeyPinning.Pinned pinned ? pinned.Event : null,
            cancellationToken);
        switch (update)
        {
            case StreamUpdate.Saved:
                await index.CatchUpAfterChangeAsync(cancellationToken);
                break;
            case StreamUpdate.Conflict or StreamUpdate.NotFound:
                return ApiProblems.Conflict("The target changed meanwhile; try again");
        }

        return Results.Ok(await session.LoadAsync<Target>(found.Id, cancellationToken));
    }
}
