using Gatehouse.ServiceDefaults.Security;
using Marten;
using Gatehouse.ServiceDefaults.Http;

namespace Gatehouse.Authorization.AccessRequests.ListingRequests;

public static class ListAccessRequests
{
    /// <summary>Approvers see every request; other users see their own.</summary>
    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapGet("/access-requests", async (AccessRequestStatus? status, HttpContext http, IQuerySession session,
            CancellationToken cancellationToken) =>
        {
            var requests = session.Query<AccessRequest>().AsQueryable();
            if (!http.User.IsInRole(GatehousePolicies.Approver))
            {
                var user = http.User.Identity!.Name;
                requests = requests.Where(r => r.UserName == user);
            }

            if (status is { } wanted)
            {
                requests = requests.Where(r => r.Status == wanted);
            }

            return Results.Ok(await requests.OrderByDescending(r => r.RequestedAt).Take(500).ToListAsync(cancellationToken));
        });

        api.MapGet("/access-requests/{id:guid}", async (Guid id, HttpContext http, IQuerySession session, CancellationToken cancellationToken) =>
            await session.LoadAsync<AccessRequest>(id, cancellationToken) is { } request
            && (http.User.IsInRole(GatehousePolicies.Approver) || request.UserName == http.User.Identity!.Name)
                ? Results.Ok(request)
                : ApiProblems.NotFound($"There is no access request {id} of yours"));
    }
}
