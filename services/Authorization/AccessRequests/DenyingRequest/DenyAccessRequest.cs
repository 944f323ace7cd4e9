using Gatehouse.ServiceDefaults.EventStore;
using Gatehouse.ServiceDefaults.Http;
using Marten;

namespace Gatehouse.Authorization.AccessRequests.DenyingRequest;

public sealed record DenyAccessRequestBody(string? Reason);

public static class DenyAccessRequest
{
    public static void Map(IEndpointRouteBuilder approvers) => approvers.MapPost("/access-requests/{id:guid}/deny", Handle);

    private static async Task<IResult> Handle(ApiCaller caller, Guid id, DenyAccessRequestBody body, IDocumentSession session,
        CancellationToken cancellationToken)
    {
        var errors = new InputErrors();
        var reason = errors.Required("reason", body.Reason, 1000);
        if (errors.Any)
        {
            return errors.ToResult();
        }

        var stream = await session.Events.FetchForWriting<AccessRequest>(id, cancellationToken);
        if (stream.Aggregate is not { } request)
        {
            return ApiProblems.NotFound($"There is no access request {id}");
        }

        var now = caller.Now;
        var (denied, refusal) = AccessRequestDecisions.Deny(request, caller, reason, EventIds.New(now), now);
        if (refusal is not null)
        {
            return Results.Problem(statusCode: refusal.StatusCode, title: refusal.Title);
        }

        session.AppendAccessEvent(id, denied!);
        try
        {
            await session.SaveChangesAsync(cancellationToken);
        }
        catch (Exception ex) when (StoreErrors.IsConflict(ex))
        {
            return ApiProblems.Conflict("Another approver decided this request first");
        }

        return Results.Ok(await session.LoadAsync<AccessRequest>(id, cancellationToken));
    }
}
