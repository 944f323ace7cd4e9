using System.Net;
using Gatehouse.Contracts.Sessions;
using Gatehouse.WebConsole.Calling;
using Microsoft.Extensions.Options;

namespace Gatehouse.WebConsole.Pages.Live;

/// <summary>A live session and the gateway instance that holds it, the only one that can show or end it.</summary>
public sealed record LiveSessionAt(LiveSession Session, Uri Gateway);

/// <summary>An open port forward (or ProxyJump) and the gateway instance that holds it, the only one that can end it.</summary>
public sealed record LiveForwardAt(LiveForward Forward, Uri Gateway);

/// <summary>What the gateway instances answered: their live sessions and open forwards, and each instance that did not answer, said so.</summary>
public sealed record LiveSessionList(IReadOnlyList<LiveSessionAt> Sessions, IReadOnlyList<LiveForwardAt> Forwards, IReadOnlyList<string> Problems,
    HttpStatusCode Status);

/// <summary>
/// Live sessions and open forwards across the gateway instances. Each instance is asked for its own
/// (<c>GET /api/sessions</c>, <c>GET /api/forwards</c>): the
/// instance holding a session is the one that knows it is live this second, and the one that can stream its output or
/// end it. The audit trail knows every session too, but a few moments late, and it cannot tell a session still running
/// from one whose instance died: it is not a list to watch from.
/// </summary>
public sealed class LiveGateways(ServiceApis apis, IOptions<ConsoleSettings> settings)
{
    public IReadOnlyList<Uri> Instances =>
        settings.Value.GatewayApiUrls is { Count: > 0 } urls ? urls : [settings.Value.SessionBrokerUrl!];

    public async Task<LiveSessionList> ListAsync(CancellationToken cancellationToken)
    {
        var answers = await Task.WhenAll(Instances.Select(async gateway =>
        {
            var sessions = apis.GetAsync<List<LiveSession>>(GatehouseService.SessionBroker, new Uri(gateway, "api/sessions").ToString(), cancellationToken);
            var forwards = apis.GetAsync<List<LiveForward>>(GatehouseService.SessionBroker, new Uri(gateway, "api/forwards").ToString(), cancellationToken);
            return (Gateway: gateway, Sessions: await sessions, Forwards: await forwards);
        }));
        // A refusal of the person's roles is the answer for the whole page; an instance that does not answer is named.
        var refused = answers.Select(a => a.Sessions).FirstOrDefault(a => a.Status is HttpStatusCode.Forbidden);
        if (refused is not null)
        {
            return new LiveSessionList([], [], [refused.Problem ?? "Your roles do not permit this."], HttpStatusCode.Forbidden);
        }

        var sessions = answers
            .SelectMany(a => (a.Sessions.Value ?? []).Select(session => new LiveSessionAt(session, a.Gateway)))
            .OrderBy(s => s.Session.StartedAt)
            .ToList();
        var forwards = answers
            .SelectMany(a => (a.Forwards.Value ?? []).Select(forward => new LiveForwardAt(forward, a.Gateway)))
            .OrderBy(f => f.Forward.OpenedAt)
            .ToList();
        var problems = answers
            .Where(a => !a.Sessions.Succeeded || !a.Forwards.Succeeded)
            .Select(a => $"The gateway instance at {a.Gateway} did not answer ({(a.Sessions.Succeeded ? a.Forwards.Problem : a.Sessions.Problem)}): its sessions and forwards are not listed.")
            .ToList();
        return new LiveSessionList(sessions, forwards, problems, HttpStatusCode.OK);
    }

    /// <summary>The session and the instance that holds it, or why it cannot be reached (not live, or its instance did not answer).</summary>
    public async Task<(LiveSessionAt? Found, LiveSessionList From)> FindAsync(Guid sessionId, CancellationToken cancellationToken)
    {
        var list = await ListAsync(cancellationToken);
        return (list.Sessions.FirstOrDefault(s => s.Session.SessionId == sessionId), list);
    }

    /// <summary>
    /// Asks the instance holding <paramref name="id"/> (a session or a forward) to end it; the gateway checks the reason and the
    /// roles, then sends TerminateSession on the bus. Null when it took the request, else its refusal as given, and its status.
    /// </summary>
    public async Task<(string Problem, HttpStatusCode Status)?> TerminateAsync(Uri gateway, Guid id, string? reason, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(gateway, $"api/sessions/{id:D}/terminate"))
        {
            // The session page's reason is a text area: its lines become one, as the gateway shows the user one line.
            Content = JsonContent.Create(new { reason = reason?.ReplaceLineEndings(" ") }, options: ServiceApis.Json),
        };
        using var response = await apis.SendAsync(GatehouseService.SessionBroker, request, cancellationToken);
        return response.IsSuccessStatusCode ? null : (await ServiceApis.ProblemTextAsync(response, cancellationToken), response.StatusCode);
    }

    /// <summary>Why a session (or a forward: <paramref name="what"/>) cannot be watched or ended from here, for the page.</summary>
    public static string NotReached(Guid id, LiveSessionList from, string what = "session") =>
        from.Problems.Count == 0
            ? $"{char.ToUpperInvariant(what[0])}{what[1..]} {id} is not live on any gateway instance: it has ended, or it was never a {what}."
            : $"No gateway instance that answered holds {what} {id}. {string.Join(" ", from.Problems)}";
}
