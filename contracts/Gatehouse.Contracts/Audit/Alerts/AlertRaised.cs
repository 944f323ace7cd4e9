namespace Gatehouse.Contracts.Alerts;

/// <summary>
/// A detection rule fired. Published on the bus for subscribers (paging, SIEMs); <paramref name="EventId"/> is the
/// message id. Alerts are not access events: the audit store never takes them back from the bus as copies.
/// </summary>
/// <param name="Rule">The rule's name, e.g. "brute-force".</param>
/// <param name="DeduplicationKey">The same key is not raised again within the rule's suppression window.</param>
/// <param name="TriggeringEventIds">The access events that made the rule fire.</param>
public sealed record AlertRaised(
    Guid AlertId,
    string Rule,
    AlertSeverity Severity,
    string Title,
    string DeduplicationKey,
    string? UserName,
    string? Target,
    string? SourceAddress,
    IReadOnlyList<Guid> TriggeringEventIds,
    Guid EventId,
    DateTimeOffset RaisedAt);
