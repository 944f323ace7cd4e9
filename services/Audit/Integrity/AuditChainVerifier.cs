using Marten;

namespace Gatehouse.Audit.Integrity;

/// <summary>Recomputes the whole chain against the stored events and names every changed, missing, moved or unsealed event.</summary>
public sealed class AuditChainVerifier(IDocumentStore store, StoredEvents storedEvents, DigestSigner signer)
{
    public async Task<IntegrityReport> VerifyAsync(CancellationToken cancellationToken)
    {
        await using var session = store.QuerySession();
        var digests = (await session.Events.FetchStreamAsync(IntegrityChain.StreamId, token: cancellationToken))
            .Select(e => e.Data).OfType<DigestSealed>().ToList();

        var problems = new List<IntegrityProblem>();
        DigestSealed? previous = null;
        var eventsChecked = 0;
        foreach (var digest in digests)
        {
            problems.AddRange(ChainVerification.CheckDigest(digest, previous, signer.PublicKey));
            var inRange = await storedEvents.RangeAsync(digest.FirstSequence - 1, digest.LastSequence, limit: null, cancellationToken);
            var inRangeIds = inRange.Select(e => e.EventId).ToHashSet();
            var atOtherPlaces = digest.Events.Where(e => !inRangeIds.Contains(e.EventId)).Select(e => e.EventId).ToList();
            var elsewhere = atOtherPlaces.Count == 0
                ? new Dictionary<Guid, StoredEvent>()
                : (await storedEvents.ByIdsAsync(atOtherPlaces, cancellationToken)).ToDictionary(e => e.EventId);
            problems.AddRange(ChainVerification.CheckEvents(digest, inRange, elsewhere));
            eventsChecked += digest.Events.Count;
            previous = digest;
        }

        var sealedUpTo = previous?.LastSequence ?? 0;
        var unsealed = await storedEvents.CountAfterAsync(sealedUpTo, cancellationToken);
        return new IntegrityReport(problems.Count == 0, digests.Count, eventsChecked, sealedUpTo, unsealed, problems);
    }
}
