namespace Gatehouse.Contracts.Alerts;

/// <summary>An analyst took an alert on.</summary>
public sealed record AlertAcknowledged(Guid AlertId, string Note, string AcknowledgedBy, DateTimeOffset AcknowledgedAt);
