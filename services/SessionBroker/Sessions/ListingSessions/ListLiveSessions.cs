namespace Gatehouse.SessionBroker.Sessions.ListingSessions;

/// <summary><c>GET /api/sessions</c>: the sessions this gateway relays right now.</summary>
public static class ListLiveSessions
{
    public static void Map(RouteGroupBuilder api) =>
        api.MapGet("/sessions", (LiveSessions sessions) => Results.Ok(sessions.List()));
}
