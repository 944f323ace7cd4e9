namespace Gatehouse.Contracts;

/// <summary>
/// A target's SSH server told the gateway something other than the last time (or it was seen for the first time): its
/// version and offered algorithms, and the posture the gateway judges from them.
/// </summary>
/// <param name="Previous">What was known before; null the first time the target is seen.</param>
/// <param name="Findings">The posture as judged against the vulnerability table of <paramref name="VulnerabilityTableDate"/>.</param>
/// <param name="WasVulnerable">Whether the previous posture had a known vulnerability, so a move into a vulnerable state shows.</param>
public sealed record TargetSshInventoryChanged(
    string Target,
    string TargetAddress,
    TargetSshServer Server,
    TargetSshServer? Previous,
    IReadOnlyList<PostureFinding> Findings,
    bool WasVulnerable,
    DateOnly VulnerabilityTableDate,
    string Actor,
    string? SourceAddress,
    string CorrelationId,
    Guid EventId,
    DateTimeOffset OccurredAt) : IAccessEvent;
