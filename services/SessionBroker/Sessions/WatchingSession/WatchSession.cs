using System.Text;
using Gatehouse.Contracts;
using Gatehouse.ServiceDefaults.EventStore;
using Gatehouse.ServiceDefaults.Http;
using Marten;

namespace Gatehouse.SessionBroker.Sessions.WatchingSession;

/// <summary>
/// <c>GET /api/sessions/{id}/output</c>: the output of a live session on this instance as it reaches the user, as
/// Server-Sent Events: <c>output</c> (base64 of the bytes, as the terminal got them), then one <c>ended</c> (what the
/// user was told, if anything) or <c>dropped</c> (the watcher fell behind). Read-only: nothing goes the other way.
/// </summary>
public static class WatchSession
{
    /// <summary>A comment line this often keeps proxies from closing a quiet stream and finds a watcher that left.</summary>
    private static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(15);

    private const int MostPerEvent = 16 * 1024;

    public static void Map(RouteGroupBuilder api) =>
        api.MapGet("/sessions/{sessionId:guid}/output", HandleAsync);

    private static async Task<IResult> HandleAsync(Guid sessionId, HttpContext http, ApiCaller caller, LiveSessions sessions,
        IDocumentSession store, CancellationToken cancellationToken)
    {
        if (sessions.Find(sessionId) is not { } session)
        {
            return ApiProblems.NotFound($"No live session {sessionId} on this gateway instance");
        }

        if (session.Relay is not { } relay)
        {
            return ApiProblems.Conflict($"Session {sessionId} has not reached its target yet; watch it once it has");
        }

        if (relay.CarriesFiles)
        {
            return ApiProblems.Conflict($"Session {sessionId} transfers files (sftp or scp): it has no terminal output to watch; its file operations are in the audit trail");
        }

        // Recorded before the first byte is shown, as the Audit service records its reads: a watch that cannot be recorded is not served.
        var read = new AuditTrailRead(caller.Name, http.Request.Path + http.Request.QueryString, StatusCodes.Status200OK, caller.Name,
            caller.SourceAddress, caller.CorrelationId, caller.NewEventId(), caller.Now);
        store.StartStreamWithAccessEvent(read.EventId, read);
        await store.SaveChangesAsync(cancellationToken);

        using var watcher = new SessionWatcher(relay);
        using var watching = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, session.Ended);
        http.Response.ContentType = "text/event-stream";
        http.Response.Headers.CacheControl = "no-store";
        // Tells a buffering reverse proxy (nginx) to pass each event on at once.
        http.Response.Headers["X-Accel-Buffering"] = "no";
        var body = http.Response.Body;
        await WriteAsync(body, ": watching\n\n", cancellationToken);
        try
        {
            while (true)
            {
                var output = await watcher.NextAsync(MostPerEvent, KeepAlive, watching.Token);
                if (output is null)
                {
                    await WriteAsync(body, "event: dropped\ndata: This watcher fell behind the session's output and was dropped; open it again to go on watching.\n\n",
                        cancellationToken);
                    return Results.Empty;
                }

                await WriteAsync(body, output.Length == 0 ? ": keep-alive\n\n" : Event("output", Convert.ToBase64String(output)), cancellationToken);
            }
        }
        catch (OperationCanceledException) when (session.Ended.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            // The session ended: its last output, then why.
            for (var rest = watcher.Take(MostPerEvent); rest.Length > 0; rest = watcher.Take(MostPerEvent))
            {
                await WriteAsync(body, Event("output", Convert.ToBase64String(rest)), cancellationToken);
            }

            await WriteAsync(body, Event("ended", session.EndMessage ?? "The session ended."), cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The watcher left.
        }

        return Results.Empty;
    }

    /// <summary>One event; each line of the data its own data line, so no text can end the event early.</summary>
    private static string Event(string name, string data) =>
        $"event: {name}\n{string.Join("", data.ReplaceLineEndings("\n").Split('\n').Select(line => $"data: {line}\n"))}\n";

    private static async Task WriteAsync(Stream body, string text, CancellationToken cancellationToken)
    {
        await body.WriteAsync(Encoding.UTF8.GetBytes(text), cancellationToken);
        await body.FlushAsync(cancellationToken);
    }
}
