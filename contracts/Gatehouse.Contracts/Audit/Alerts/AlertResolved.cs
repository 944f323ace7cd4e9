namespace Gatehouse.Contracts.Alerts;

/// <summary>An analyst closed an alert, saying what it turned out to be.</summary>
public sealed record AlertResolved(Guid AlertId, string Resolution, string ResolvedBy, DateTimeOffset ResolvedAt);
