using System.Net;
using Gatehouse.Contracts.Sessions;
using Gatehouse.WebConsole.Calling;
using Microsoft.Extensions.Options;

namespace Gatehouse.WebConsole.Pages.Live;

/// <summary>A live session and the gateway instance that holds it, the only one that can show or end it.</summary>
public sealed record LiveSessionAt(LiveSession Session, Uri Gateway);

/// <summary>What the gateway instances answered: their live sessions, and each instance that did not answer, said so.</summary>
public sealed record LiveSessionList(IReadOnlyList<LiveSessionAt> Sessions, IReadOnlyList<string> Problems, HttpStatusCode Status);

/// <summary>
/// Live sessions across the gateway instances. Each instance is asked for its own (<c>GET /api/sessions</c>): the
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
            (Gateway: gateway, Answer: await apis.GetAsync<List<LiveSession>>(GatehouseService.SessionBroker, new Uri(gateway, "api/sessions").ToString(), cancellationToken))));
        // A refusal of the person's roles is the answer for the whole page; an instance that does not answer is named.
        var refused = answers.FirstOrDefault(a => a.Answer.Status is HttpStatusCode.Forbidden);
        if (refused.Answer is not null)
        {
            return new LiveSessionList([], [refused.Answer.Problem ?? "Your roles do not permit this."], HttpStatusCode.Forbidden);
        }

        var sessions = answers
            .SelectMany(a => (a.Answer.Value ?? []).Select(session => new LiveSessionAt(session, a.Gateway)))
            .OrderBy(s => s.Session.StartedAt)
            .ToList();
        var problems = answers
            .Where(a => !a.Answer.Succeeded)
            .Select(a => $"The gateway instance at {a.Gateway} did not answer ({a.Answer.Problem}): its sessions are not listed.")
            .ToList();
        return new LiveSessionList(sessions, problems, HttpStatusCode.OK);
    }

    /// <summary>The session and the instance that holds it, or why it cannot be reached (not live, or its instance did not answer).</summary>
    public async Task<(LiveSessionAt? Found, LiveSessionList From)> FindAsync(Guid sessionId, CancellationToken cancellationToken)
    {
        var list = await ListAsync(cancellationToken);
        return (list.Sessions.FirstOrDefault(s => s.Session.SessionId == sessionId), list);
    }

    /// <summary>Why a session cannot be watched or ended from here, for the page.</summary>
    public static string NotReached(Guid sessionId, LiveSessionList from) =>
        from.Problems.Count == 0
            ? $"Session {sessionId} is not live on any gateway instance: it has ended, or it was never a session."
            : $"No gateway instance that answered holds session {sessionId}. {string.Join(" ", from.Problems)}";
}
