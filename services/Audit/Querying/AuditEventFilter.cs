using Gatehouse.Audit.AuditTrail;
using Gatehouse.Contracts;
using Gatehouse.ServiceDefaults.EventStore;
using Marten.Linq.MatchesSql;
using Microsoft.AspNetCore.Mvc;
using Gatehouse.ServiceDefaults.Http;

namespace Gatehouse.Audit.Querying;

/// <summary>What the SOC searches and exports stored events by; every filter is optional and they all must hold.</summary>
public sealed class AuditEventFilter
{
    [FromQuery(Name = "actor")]
    public string? Actor { get; init; }

    /// <summary>The Gatehouse user the event is about (whose access was decided, who tried to log in, ...), whoever acted.</summary>
    [FromQuery(Name = "user")]
    public string? User { get; init; }

    [FromQuery(Name = "target")]
    public string? Target { get; init; }

    /// <summary>The source IP address.</summary>
    [FromQuery(Name = "source")]
    public string? Source { get; init; }

    /// <summary>Free text found anywhere in the event (3 to 200 characters).</summary>
    [FromQuery(Name = "q")]
    public string? Text { get; init; }

    /// <summary>The login or session; a GUID matches however the stored event spelt it (with or without dashes).</summary>
    [FromQuery(Name = "correlationId")]
    public string? CorrelationId { get; init; }

    [FromQuery(Name = "type")]
    public string? Type { get; init; }

    /// <summary>Occurred at or after.</summary>
    [FromQuery(Name = "from")]
    public DateTimeOffset? From { get; init; }

    /// <summary>Occurred before.</summary>
    [FromQuery(Name = "to")]
    public DateTimeOffset? To { get; init; }

    public InputErrors Problems()
    {
        var errors = new InputErrors();
        if (Type is not null && AccessEventTypes.Find(Type) is null)
        {
            errors.Add("type", $"Unknown event type '{Type}'. Known types: {string.Join(", ", AccessEventTypes.All.Select(t => t.Name))}");
        }

        if (Text is { Length: > 200 } || Text is { Length: < 3 })
        {
            errors.Add("q", "Free text must be 3 to 200 characters");
        }

        if (Source is not null && !System.Net.IPAddress.TryParse(Source, out _))
        {
            errors.Add("source", "source must be an IP address");
        }

        if (From > To)
        {
            errors.Add("from", "'from' must not be after 'to'");
        }

        return errors;
    }

    public IQueryable<AuditEntry> Apply(IQueryable<AuditEntry> query)
    {
        if (Actor is not null)
        {
            query = query.Where(e => e.Actor == Actor);
        }

        if (User is not null)
        {
            query = query.Where(e => e.UserName == User);
        }

        if (Target is not null)
        {
            query = query.Where(e => e.Target == Target);
        }

        if (Source is not null)
        {
            query = query.Where(e => e.SourceAddress == Source);
        }

        if (Text is not null)
        {
            var pattern = "%" + Text.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_") + "%";
            query = query.Where(e => e.MatchesSql("d.data::text ILIKE ?", pattern));
        }

        if (CorrelationId is not null)
        {
            // Stored events are sealed as they came: those from before dashed GUIDs were the one format stay undashed.
            var spellings = CorrelationIds.Spellings(CorrelationId).ToArray();
            query = query.Where(e => spellings.Contains(e.CorrelationId));
        }

        if (Type is not null)
        {
            query = query.Where(e => e.Type == Type);
        }

        return InRange(query, From, To);
    }

    /// <summary>Events that occurred at or after <paramref name="from"/> and before <paramref name="to"/>, each when given.</summary>
    public static IQueryable<AuditEntry> InRange(IQueryable<AuditEntry> query, DateTimeOffset? from, DateTimeOffset? to)
    {
        if (from is { } start)
        {
            query = query.Where(e => e.OccurredAt >= start);
        }

        if (to is { } end)
        {
            query = query.Where(e => e.OccurredAt < end);
        }

        return query;
    }
}
