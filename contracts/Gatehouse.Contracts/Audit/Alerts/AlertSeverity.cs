namespace Gatehouse.Contracts.Alerts;

public enum AlertSeverity
{
    Low,
    Medium,
    High,
    Critical,
}
