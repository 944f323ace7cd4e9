using Gatehouse.Authorization.Decisions;
using Gatehouse.ServiceDefaults.EventStore;
using Gatehouse.ServiceDefaults.Http;
using Marten;
using Microsoft.Extensions.Options;

namespace Gatehouse.Authorization.AccessRequests.ApprovingRequest;

/// <summary>
/// The approval and its grant are written in one transaction against the request's version as read, so when two
/// approvers act at once exactly one approval (and one grant) is stored and the other is told it lost.
/// </summary>
public static class ApproveAccessRequest
{
    public static void Map(IEndpointRouteBuilder approvers) => approvers.MapPost("/access-requests/{id:guid}/approve", Handle);

    private static async Task<IResult> Handle(ApiCaller caller, Guid id, IDocumentSession session, AccessIndexCache index,
        IOptions<AuthorizationSettings> settings, CancellationToken cancellationToken)
    {
        var stream = await session.Events.FetchForWriting<AccessRequest>(id, cancellationToken);
        if (stream.Aggregate is not { } request)
        {
            return ApiProblems.NotFound($"There is no access request {id}");
        }

        var now = caller.Now;
        var (approval, refusal) = AccessRequestDecisions.Approve(request, caller,
            settings.Value.AccessRequestApprovalWindow, Guid.NewGuid(), EventIds.New(now), EventIds.New(now), now);
        if (refusal is not null)
        {
            await RecordRefusalAsync(session, request, caller, refusal, now, cancellationToken);
            return Results.Problem(statusCode: refusal.StatusCode, title: refusal.Title);
        }

        session.AppendAccessEvent(id, approval!.Approved);
        session.StartStreamWithAccessEvent(approval.Grant.GrantId, approval.Grant);
        try
        {
            await session.SaveChangesAsync(cancellationToken);
        }
        catch (Exception ex) when (StoreErrors.IsConflict(ex))
        {
            return ApiProblems.Conflict("Another approver decided this request first");
        }

        await index.CatchUpAfterChangeAsync(cancellationToken);
        return Results.Ok(await session.LoadAsync<AccessRequest>(id, cancellationToken));
    }

    /// <summary>
    /// Appends the refusal to the request's stream. It changes nothing in the request, so when another approver wrote
    /// to the stream since it was read, it is appended after that instead; a store failure answers 500, not the refusal.
    /// </summary>
    private static async Task RecordRefusalAsync(IDocumentSession session, AccessRequest request, ApiCaller caller,
        AccessRequestDecisions.Refusal refusal, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var refused = AccessRequestDecisions.Refused(request, caller, refusal, EventIds.New(now), now);
        session.AppendAccessEvent(request.Id, refused);
        try
        {
            await session.SaveChangesAsync(cancellationToken);
        }
        catch (Exception ex) when (StoreErrors.IsConflict(ex))
        {
            await using var again = session.DocumentStore.LightweightSession();
            again.AppendAccessEvent(request.Id, refused);
            await again.SaveChangesAsync(cancellationToken);
        }
    }
}
