using Gatehouse.ServiceDefaults.Http;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Gatehouse.Audit.Soc.Sessions;

/// <summary>
/// <c>/api/audit/own</c>: the caller's own sessions and their recordings, for every role (a <c>user</c> reads nothing
/// else of the audit store). Another person's session is answered as not found, not as forbidden: its existence is not
/// the caller's to learn.
/// </summary>
public static class OwnSessions
{
    public static void Map(IEndpointRouteBuilder group)
    {
        group.MapGet("/sessions", List).WithName("ListOwnSessions");
        group.MapGet("/sessions/{id:guid}", async Task<Results<Ok<SessionView>, NotFound>> (Guid id, ApiCaller caller, IQuerySession session,
            CancellationToken ct) => await OwnAsync(id, caller, session, ct) is { } view ? TypedResults.Ok(view) : TypedResults.NotFound())
            .WithName("ShowOwnSession");
        group.MapGet("/sessions/{id:guid}/recording", async Task<Results<PhysicalFileHttpResult, NotFound<string>>> (Guid id, ApiCaller caller,
            IQuerySession session, IOptions<AuditSettings> settings, CancellationToken ct) =>
            await OwnAsync(id, caller, session, ct) is { } view ? SocEndpoints.Recording(view, settings.Value) : TypedResults.NotFound("No such session"))
            .WithName("DownloadOwnRecording");
    }

    private static async Task<Results<Ok<IReadOnlyList<SessionView>>, ValidationProblem>> List(ApiCaller caller, IQuerySession session, int? limit,
        CancellationToken ct)
    {
        if (limit is < 1 or > SocEndpoints.MaxLimit)
        {
            return InputErrors.Invalid("limit", $"limit must be between 1 and {SocEndpoints.MaxLimit}");
        }

        var sessions = await session.Query<SessionView>().Where(s => s.UserName == caller.Name).OrderByDescending(s => s.StartedAt)
            .Take(limit ?? 100).ToListAsync(ct);
        return TypedResults.Ok<IReadOnlyList<SessionView>>(sessions);
    }

    private static async Task<SessionView?> OwnAsync(Guid id, ApiCaller caller, IQuerySession session, CancellationToken ct) =>
        await session.LoadAsync<SessionView>(id, ct) is { } view && view.UserName == caller.Name ? view : null;
}
