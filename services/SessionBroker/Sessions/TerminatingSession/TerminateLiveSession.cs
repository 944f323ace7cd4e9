using Gatehouse.Contracts.Sessions;
using Gatehouse.ServiceDefaults.Http;
using Gatehouse.SessionBroker.Sessions.ListingSessions;
using MassTransit;

namespace Gatehouse.SessionBroker.Sessions.TerminatingSession;

public sealed record TerminateLiveSessionRequest(string? Reason);

/// <summary>
/// <c>POST /api/sessions/{id}/terminate</c>: sends <see cref="TerminateSession"/> on the bus, as any other system would,
/// once an instance of the gateway (this one or another, asked over the bus: <see cref="GatewayLive"/>) says it holds the
/// session or forward. 404 only when every instance answered and none holds it; 503 when one that might did not answer.
/// </summary>
public static class TerminateLiveSession
{
    public static void Map(RouteGroupBuilder api) =>
        api.MapPost("/sessions/{sessionId:guid}/terminate", async (Guid sessionId, TerminateLiveSessionRequest? request,
            ApiCaller caller, GatewayLive gateway, IPublishEndpoint bus, CancellationToken cancellationToken) =>
        {
            if (request?.Reason is not { Length: > 0 and <= 500 } reason)
            {
                return InputErrors.Invalid("reason", "Say why, in 1 to 500 characters; the user is shown it");
            }

            var answers = await gateway.AskAsync(a => a.Sessions.Any(s => s.SessionId == sessionId) || a.Forwards.Any(f => f.ForwardingId == sessionId),
                cancellationToken);
            if (!answers.Holds(sessionId))
            {
                return answers.Incomplete is { } incomplete
                    ? ApiProblems.Unavailable($"Session or forward {sessionId} was not found on the instances that answered. {incomplete}; try again")
                    : ApiProblems.NotFound($"No live session or open forward {sessionId} on any gateway instance");
            }

            await bus.Publish(new TerminateSession(sessionId, caller.Name, reason), cancellationToken);
            return Results.Accepted();
        });
}
