namespace Gatehouse.Contracts.Alerts;

/// <summary>
/// A detection rule fired. Published on the bus for subscribers (paging, SIEMs); <paramref name="EventId"/> is the
/// message id. Alerts are not access events: the audit store never takes them back from the bus as copies.
/// </summary>
/// <param name="Rule">The rule's name, e.g. "brute-force".</param>
/// <param name="DeduplicationKey">The same key is not raised again within the rule's suppression window.</param>
/// <param name="TriggeringEventIds">The access events that made the rule fire.</param>
/// <param name="RuleId">The rule's own id when it has one (a Sigma rule's <c>id</c>); null for built-in rules and earlier alerts.</param>
/// <param name="Tags">The rule's tags (a Sigma rule's, such as MITRE ATT&amp;CK ids <c>attack.t1059.004</c>); null when it has none.</param>
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
    DateTimeOffset RaisedAt,
    string? RuleId = null,
    IReadOnlyList<string>? Tags = null);
