using Gatehouse.Contracts.Sessions;
using Gatehouse.ServiceDefaults.Http;
using MassTransit;

namespace Gatehouse.SessionBroker.Sessions.TerminatingSession;

public sealed record TerminateLiveSessionRequest(string? Reason);

/// <summary><c>POST /api/sessions/{id}/terminate</c>: sends <see cref="TerminateSession"/> on the bus, as any other system would.</summary>
public static class TerminateLiveSession
{
    public static void Map(RouteGroupBuilder api) =>
        api.MapPost("/sessions/{sessionId:guid}/terminate", async (Guid sessionId, TerminateLiveSessionRequest? request,
            ApiCaller caller, LiveSessions sessions, IPublishEndpoint bus, CancellationToken cancellationToken) =>
        {
            if (request?.Reason is not { Length: > 0 and <= 500 } reason)
            {
                return InputErrors.Invalid("reason", "Say why, in 1 to 500 characters; the user is shown it");
            }

            if (!sessions.Holds(sessionId))
            {
                return ApiProblems.NotFound($"No live session or open forward {sessionId}");
            }

            await bus.Publish(new TerminateSession(sessionId, caller.Name, reason), cancellationToken);
            return Results.Accepted();
        });
}
