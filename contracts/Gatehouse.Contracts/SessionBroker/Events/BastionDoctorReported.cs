namespace Gatehouse.Contracts;

/// <summary>
/// The gateway checked the machine it runs on (the bastion): services as root, modes of secret files, pending security
/// updates, listeners, the vulnerability table's age, the .NET runtime. Recorded each time it runs.
/// </summary>
/// <param name="Host">The machine's host name.</param>
public sealed record BastionDoctorReported(
    string Host,
    IReadOnlyList<PostureFinding> Findings,
    string Actor,
    string? SourceAddress,
    string CorrelationId,
    Guid EventId,
    DateTimeOffset OccurredAt) : IAccessEvent;
