using Gatehouse.Contracts.Sessions;
using Gatehouse.ServiceDefaults.Http;

namespace Gatehouse.SessionBroker.Sessions.ListingSessions;

/// <summary>The whole gateway's live sessions and forwards: each instance's answer, and the instances that did not answer.</summary>
public sealed record GatewayLiveView(IReadOnlyList<LiveSessionsHeld> Instances, IReadOnlyList<LiveSession> Sessions, IReadOnlyList<LiveForward> Forwards);

/// <summary>
/// <c>GET /api/sessions</c> and <c>GET /api/forwards</c>: the sessions this instance relays and the forwards it holds open
/// right now (the console asks each instance, since the one holding a session is the one that streams it). <c>GET /api/live</c>: the whole gateway's sessions and open forwards
/// from any instance, over the bus (<see cref="GatewayLive"/>); 503 naming the instances that did not answer.
/// </summary>
public static class ListLiveSessions
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/sessions", (LiveSessions sessions) => Results.Ok(sessions.List()));
        api.MapGet("/forwards", (LiveSessions sessions) => Results.Ok(sessions.Forwards()));
        api.MapGet("/live", async (GatewayLive gateway, CancellationToken cancellationToken) =>
        {
            var answers = await gateway.AskAsync(null, cancellationToken);
            return answers.Incomplete is { } incomplete
                ? ApiProblems.Unavailable(incomplete)
                : Results.Ok(new GatewayLiveView(answers.Answers, answers.Sessions.ToList(), answers.Forwards.ToList()));
        });
    }
}
