namespace Gatehouse.Contracts;

/// <summary>
/// An administrator stored (or replaced, or re-sealed) the credential the gateway uses for a target login. The
/// secret itself never leaves the SessionBroker; this says only who did it and under which vault key it is sealed.
/// </summary>
/// <param name="Kind">"PrivateKey" or "Password".</param>
public sealed record TargetCredentialStored(
    string Target,
    string Login,
    string Kind,
    string VaultKeyId,
    string Actor,
    string? SourceAddress,
    string CorrelationId,
    Guid EventId,
    DateTimeOffset OccurredAt) : IAccessEvent;
