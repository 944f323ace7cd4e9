namespace Gatehouse.Contracts;

/// <summary>Someone ran the verification of the audit store's signed digest chain, and what it found.</summary>
/// <param name="Verifier">The API token's subject who ran it.</param>
/// <param name="Intact">Every sealed event is stored unchanged at its place and every digest links and verifies.</param>
/// <param name="SealedUpToSequence">The last event sequence the chain seals; later events are not sealed yet.</param>
/// <param name="Problems">What it named, as it said it (the first <see cref="MaxProblemsNamed"/>); <paramref name="ProblemCount"/> counts them all.</param>
public sealed record AuditChainVerified(
    string Verifier,
    bool Intact,
    int DigestsChecked,
    int EventsChecked,
    long SealedUpToSequence,
    long UnsealedEvents,
    int ProblemCount,
    IReadOnlyList<string> Problems,
    string Actor,
    string? SourceAddress,
    string CorrelationId,
    Guid EventId,
    DateTimeOffset OccurredAt) : IAccessEvent
{
    /// <summary>A broken chain can name thousands of events; the event keeps the first ones, the report the rest.</summary>
    public const int MaxProblemsNamed = 50;
}
