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

        var (update, denial) = await session.GetAndUpdateAsync<AccessRequest, AccessRequestDecisions.Denial>(id,
            request => AccessRequestDecisions.Deny(request, caller, reason, caller.NewEventId(), caller.Now), cancellationToken);
        if (denial?.Refusal is { } refusal)
        {
            return Results.Problem(statusCode: refusal.StatusCode, title: refusal.Title);
        }

        switch (update)
        {
            case StreamUpdate.NotFound:
                return ApiProblems.NotFound($"There is no access request {id}");
            case StreamUpdate.Conflict:
                return ApiProblems.Conflict("Another approver decided this request first");
        }

        return Results.Ok(await session.LoadAsync<AccessRequest>(id, cancellationToken));
    }
}
