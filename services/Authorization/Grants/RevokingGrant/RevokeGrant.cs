using Gatehouse.Authorization.Decisions;
using Gatehouse.Contracts;
using Gatehouse.ServiceDefaults.EventStore;
using Gatehouse.ServiceDefaults.Http;
using Marten;

namespace Gatehouse.Authorization.Grants.RevokingGrant;

public sealed record RevokeGrantRequest(string? Reason);

/// <summary>Revocation takes effect for every new session at once: decisions re-read the grant before allowing.</summary>
public static class RevokeGrant
{
    public static void Map(IEndpointRouteBuilder admin) => admin.MapPost("/grants/{id:guid}/revoke", Handle);

    public static GrantRevoked? Decide(Grant grant, string reason, ApiCaller actor, Guid eventId, DateTimeOffset now) =>
        grant.IsRevoked
            ? null
            : new GrantRevoked(grant.Id, grant.SubjectKind, grant.Subject, reason, actor.Name, actor.SourceAddress,
                actor.CorrelationId, eventId, now);

    private static async Task<IResult> Handle(ApiCaller caller, Guid id, RevokeGrantRequest body, IDocumentSession session,
        AccessIndexCache index, CancellationToken cancellationToken)
    {
        var errors = new InputErrors();
        var reason = errors.Required("reason", body.Reason, 500);
        if (errors.Any)
        {
            return errors.ToResult();
        }

        switch (await session.GetAndUpdateAsync<Grant>(id, grant => Decide(grant, reason, caller, caller.NewEventId(), caller.Now), cancellationToken))
        {
            case StreamUpdate.NotFound:
                return ApiProblems.NotFound($"There is no grant {id}");
            case StreamUpdate.Conflict:
                return ApiProblems.Conflict("The grant changed meanwhile; look at it and try again");
            case StreamUpdate.Saved:
                await index.CatchUpAfterChangeAsync(cancellationToken);
                break;
        }

        return Results.Ok(await session.LoadAsync<Grant>(id, cancellationToken));
    }
}
