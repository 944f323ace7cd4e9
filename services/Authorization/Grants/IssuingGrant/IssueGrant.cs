using System.Text.Json;
using System.Text.Json.Nodes;
using Gatehouse.Authorization.Decisions;
using Gatehouse.Authorization.Targets;
using Gatehouse.Authorization.Users;
using Gatehouse.Contracts;
using Gatehouse.ServiceDefaults.EventStore;
using Gatehouse.ServiceDefaults.Http;
using Gatehouse.Vocabulary;
using Marten;
using MassTransit;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace Gatehouse.Authorization.Grants.IssuingGrant;

/// <param name="From">Opening time, "HH:mm", on the window's wall clock.</param>
/// <param name="To">Closing time, "HH:mm"; earlier than <paramref name="From"/> means the window closes the next day.</param>
public sealed record TimeWindowInput(string? TimeZone, string[]? Days, string? From, string? To);

public sealed record IssueGrantRequest(
    GrantSubjectKind? SubjectKind,
    string? Subject,
    string[]? TargetNames,
    Dictionary<string, string>? TargetLabels,
    string[]? Logins,
    TimeWindowInput[]? TimeWindows,
    DateTimeOffset? ExpiresAt,
    string[]? SourceCidrs,
    TimeSpan? MaxSessionLength,
    bool PortForwardingAllowed,
    bool MfaRequired,
    string[]? ForwardingDestinations = null,
    string[]? RemoteForwardingPorts = null);

public static class IssueGrant
{
    private static readonly TimeSpan LongestSession = TimeSpan.FromDays(7);

    public static void Map(IEndpointRouteBuilder admin) => admin.MapPost("/grants", Handle);

    /// <summary>The event the request asks for, or what is wrong with it; the ids and time are passed in.</summary>
    public static GrantIssued? Validate(IssueGrantRequest body, InputErrors errors, ApiCaller actor, Guid grantId,
        Guid eventId, DateTimeOffset now)
    {
        // The JSON reader also takes an enum's number, so a number no member has would otherwise get this far.
        if (body.SubjectKind is not { } kind || !Enum.IsDefined(kind))
        {
            errors.Add("subjectKind", "must be User, Role (an access role) or ApiRole");
        }

        var subject = errors.Required("subject", body.Subject, 100);
        var names = (body.TargetNames ?? []).Select(n => errors.TargetName("targetNames", n)).Distinct().ToList();
        var labels = errors.Labels("targetLabels", body.TargetLabels);
        if (names.Count == 0 && labels.Count == 0)
        {
            errors.Add("targetNames", "the grant chooses no target: give target names or target labels");
        }
        else if (names.Count > 0 && labels.Count > 0)
        {
            errors.Add("targetLabels", "choose targets by name or by labels, not both, so it is clear what the grant covers");
        }

        var logins = (body.Logins ?? []).Select(l => l == Grant.AnyLogin ? l : errors.Login("logins", l)).Distinct().ToList();
        if (logins.Count == 0)
        {
            errors.Add("logins", $"name the logins the grant allows, or \"{Grant.AnyLogin}\" for any login the target has");
        }

        var windows = (body.TimeWindows ?? []).Select(w => Window(w, errors)).OfType<GrantTimeWindow>().ToList();
        if (body.ExpiresAt is { } expiry && expiry <= now)
        {
            errors.Add("expiresAt", "is already past");
        }

        var cidrs = errors.Cidrs("sourceCidrs", body.SourceCidrs);
        if (body.MaxSessionLength is { } length && (length <= TimeSpan.Zero || length > LongestSession))
        {
            errors.Add("maxSessionLength", $"must be more than zero and at most {LongestSession.TotalDays} days");
        }

        var destinations = Destinations(body, errors);
        var listenPorts = ListenPorts(body, errors);
        return errors.Any
            ? null
            : new GrantIssued(grantId, body.SubjectKind!.Value, subject, names, labels, logins, windows, body.ExpiresAt, cidrs,
                body.MaxSessionLength, body.PortForwardingAllowed, body.MfaRequired, null,
                actor.Name, actor.SourceAddress, actor.CorrelationId, eventId, now, destinations, listenPorts);
    }

    private static async Task<IResult> Handle(ApiCaller caller, IssueGrantRequest body, IDocumentSession session,
        AccessIndexCache index, KnownUsers users, IOptions<JsonOptions> json, TimeProvider time, CancellationToken cancellationToken)
    {
        var errors = new InputErrors();
        var now = caller.Now;
        var issued = Validate(body, errors, caller, Guid.NewGuid(), EventIds.New(now), now);
        if (issued is null)
        {
            return errors.ToResult();
        }

        var (targets, roles) = await GrantReferences.LoadAsync(session, cancellationToken);
        var warnings = GrantReferences.Check(issued, targets, roles, errors);
        if (errors.Any)
        {
            return errors.ToResult();
        }

        if (issued.SubjectKind == GrantSubjectKind.User)
        {
            string? user;
            try
            {
                user = await users.FindAsync(issued.Subject, cancellationToken);
            }
            catch (RequestTimeoutException)
            {
                return KnownUsers.Unanswered(issued.Subject);
            }

            if (user is null)
            {
                errors.Add("subject", KnownUsers.NotFound(issued.Subject));
                return errors.ToResult();
            }

            issued = issued with { Subject = user };
        }

        session.StartStreamWithAccessEvent(issued.GrantId, issued);
        await session.SaveChangesAsync(cancellationToken);
        await index.CatchUpAfterChangeAsync(cancellationToken);

        // The grant as GET /api/grants shows it, plus what the operator should know about it (an empty list when nothing).
        var reply = JsonSerializer.SerializeToNode(Grant.Create(issued), json.Value.SerializerOptions)!.AsObject();
        reply["warnings"] = new JsonArray(warnings.Select(w => JsonValue.Create(w)).ToArray<JsonNode?>());
        return Results.Created($"/api/grants/{issued.GrantId}", reply);
    }

    /// <summary>
    /// The destinations a forward may reach, in their stored form. Listing some without allowing forwarding is refused
    /// rather than stored unused, so an operator is not misled about what the grant lets through.
    /// </summary>
    private static List<string> Destinations(IssueGrantRequest body, InputErrors errors)
    {
        var destinations = new List<string>();
        foreach (var pattern in body.ForwardingDestinations ?? [])
        {
            if (ForwardingDestinations.Validate(pattern) is { } error)
            {
                errors.Add("forwardingDestinations", error);
            }
            else
            {
                destinations.Add(ForwardingDestinations.Normalise(pattern));
            }
        }

        if (destinations.Count > 0 && !body.PortForwardingAllowed)
        {
            errors.Add("forwardingDestinations", "destinations are listed but port forwarding is not allowed: allow it (--port-forwarding) or list none");
        }

        return destinations.Distinct().ToList();
    }

    /// <summary>The ports ssh -R may listen on at the target, stored form; like destinations, refused without port forwarding.</summary>
    private static List<string> ListenPorts(IssueGrantRequest body, InputErrors errors)
    {
        var ports = new List<string>();
        foreach (var pattern in body.RemoteForwardingPorts ?? [])
        {
            if (RemoteForwardingPorts.Validate(pattern) is { } error)
            {
                errors.Add("remoteForwardingPorts", error);
            }
            else
            {
                ports.Add(RemoteForwardingPorts.Normalise(pattern));
            }
        }

        if (ports.Count > 0 && !body.PortForwardingAllowed)
        {
            errors.Add("remoteForwardingPorts", "remote forwarding ports are listed but port forwarding is not allowed: allow it (--port-forwarding) or list none");
        }

        return ports.Distinct().ToList();
    }

    private static GrantTimeWindow? Window(TimeWindowInput input, InputErrors errors)
    {
        var valid = true;
        if (!TimeWindows.TryFindZone(input.TimeZone ?? "", out _))
        {
            errors.Add("timeWindows", $"'{input.TimeZone}' is not an IANA time zone such as Europe/Berlin");
            valid = false;
        }

        var days = new List<DayOfWeek>();
        foreach (var day in input.Days ?? [])
        {
            if (ParseDay(day) is { } parsed)
            {
                days.Add(parsed);
            }
            else
            {
                errors.Add("timeWindows", $"'{day}' is not a day of the week (mon, tue, ... or monday, tuesday, ...)");
                valid = false;
            }
        }

        if (days.Count == 0)
        {
            errors.Add("timeWindows", "a time window needs at least one day");
            valid = false;
        }

        var from = ParseTime(input.From, "from", errors);
        var to = ParseTime(input.To, "to", errors);
        if (from is null || to is null)
        {
            return null;
        }

        if (from == to)
        {
            errors.Add("timeWindows", "a time window must open and close at different times");
            return null;
        }

        return valid ? new GrantTimeWindow(input.TimeZone!, days.Distinct().Order().ToList(), from.Value, to.Value) : null;
    }

    private static TimeOnly? ParseTime(string? value, string field, InputErrors errors)
    {
        if (TimeOnly.TryParseExact(value ?? "", ["HH:mm", "HH:mm:ss"], out var time))
        {
            return time;
        }

        errors.Add("timeWindows", $"{field} '{value}' is not a time of day such as 08:00");
        return null;
    }

    private static DayOfWeek? ParseDay(string? day)
    {
        var text = (day ?? "").Trim().ToLowerInvariant();
        return text.Length >= 3
            ? Enum.GetValues<DayOfWeek>().Cast<DayOfWeek?>()
                .FirstOrDefault(d => d.ToString()!.ToLowerInvariant() is var name && (name == text || name[..3] == text))
            : null;
    }
}
