namespace Gatehouse.Contracts;

/// <summary>
/// A target's address, port, labels or logins were replaced. Grants that chose it by label follow its new labels, and a
/// login no longer listed can no longer be used, from this moment. The pinned host key is unchanged.
/// </summary>
public sealed record TargetChanged(
    Guid TargetId,
    string Name,
    string Address,
    int Port,
    IReadOnlyDictionary<string, string> Labels,
    IReadOnlyList<string> Logins,
    string Actor,
    string? SourceAddress,
    string CorrelationId,
    Guid EventId,
    DateTimeOffset OccurredAt) : IAccessEvent;
