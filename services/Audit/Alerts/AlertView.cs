using Gatehouse.Contracts.Alerts;

namespace Gatehouse.Audit.Alerts;

public enum AlertStatus
{
    Open,
    Acknowledged,
    Resolved,
}

/// <summary>A webhook's answer to an alert, after its retries.</summary>
public sealed record AlertPaged(Guid AlertId, string Webhook, bool Delivered, int Attempts, int? StatusCode, string? Error, DateTimeOffset At);

public sealed record PageOutcome(string Webhook, bool Delivered, int Attempts, int? StatusCode, string? Error, DateTimeOffset At);

/// <summary>An alert as the SOC sees it, kept current in the same transaction as its events (inline).</summary>
public sealed record AlertView
{
    public Guid Id { get; init; }
    public string Rule { get; init; } = "";
    public AlertSeverity Severity { get; init; }
    public string Title { get; init; } = "";
    public string DeduplicationKey { get; init; } = "";
    public string? UserName { get; init; }
    public string? Target { get; init; }
    public string? SourceAddress { get; init; }
    public IReadOnlyList<Guid> TriggeringEventIds { get; init; } = [];

    /// <summary>The rule's own id (a Sigma rule's), and its tags such as MITRE ATT&amp;CK ids.</summary>
    public string? RuleId { get; init; }

    public IReadOnlyList<string> Tags { get; init; } = [];
    public DateTimeOffset RaisedAt { get; init; }
    public AlertStatus Status { get; init; }
    public string? AcknowledgedBy { get; init; }
    public string? ResolvedBy { get; init; }
    public string? Resolution { get; init; }
    public IReadOnlyList<PageOutcome> Pages { get; init; } = [];

    public static AlertView Create(AlertRaised raised) => new()
    {
        Id = raised.AlertId,
        Rule = raised.Rule,
        Severity = raised.Severity,
        Title = raised.Title,
        DeduplicationKey = raised.DeduplicationKey,
        UserName = raised.UserName,
        Target = raised.Target,
        SourceAddress = raised.SourceAddress,
        TriggeringEventIds = raised.TriggeringEventIds,
        RuleId = raised.RuleId,
        Tags = raised.Tags ?? [],
        RaisedAt = raised.RaisedAt,
        Status = AlertStatus.Open,
    };

    public AlertView Apply(AlertAcknowledged acknowledged) => this with { Status = AlertStatus.Acknowledged, AcknowledgedBy = acknowledged.AcknowledgedBy };

    public AlertView Apply(AlertResolved resolved) =>
        this with { Status = AlertStatus.Resolved, ResolvedBy = resolved.ResolvedBy, Resolution = resolved.Resolution };

    public AlertView Apply(AlertPaged paged) =>
        this with { Pages = [.. Pages, new PageOutcome(paged.Webhook, paged.Delivered, paged.Attempts, paged.StatusCode, paged.Error, paged.At)] };
}
