namespace Gatehouse.Contracts;

/// <summary>How much a posture finding (of a target or of the bastion) matters, lowest first, so policies compare "at or above".</summary>
public enum FindingSeverity
{
    Info,
    Low,
    Medium,
    High,
    Critical,
}
