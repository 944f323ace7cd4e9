namespace Gatehouse.Audit.Integrity;

public enum IntegrityProblemKind
{
    DigestMissing,
    DigestAltered,
    DigestSignatureInvalid,
    DigestSignedByUnknownKey,
    EventChanged,
    EventMissing,
    EventReordered,
    EventInserted,
}

/// <summary>One thing verify found wrong; event problems name the event and where it was sealed.</summary>
public sealed record IntegrityProblem(IntegrityProblemKind Kind, long DigestNumber, Guid? EventId, long? Sequence, string Detail);

public sealed record IntegrityReport(
    bool Intact,
    int DigestsChecked,
    int EventsChecked,
    long SealedUpToSequence,
    long UnsealedEvents,
    IReadOnlyList<IntegrityProblem> Problems);

/// <summary>Recomputes one digest from the events now stored in its range, and checks its link and signature.</summary>
public static class ChainVerification
{
    public static IEnumerable<IntegrityProblem> CheckDigest(DigestSealed digest, DigestSealed? previous, string trustedPublicKey)
    {
        var expectedNumber = (previous?.Number ?? 0) + 1;
        var expectedFirst = (previous?.LastSequence ?? 0) + 1;
        var expectedPrevious = previous?.Digest ?? IntegrityChain.Genesis;
        if (digest.Number != expectedNumber || digest.FirstSequence != expectedFirst || digest.PreviousDigest != expectedPrevious)
        {
            yield return new IntegrityProblem(IntegrityProblemKind.DigestMissing, digest.Number, null, digest.FirstSequence,
                $"Digest {digest.Number} does not follow digest {previous?.Number ?? 0}: a digest before it is missing or was replaced");
        }

        var recomputed = IntegrityChain.ComputeDigest(digest.Number, digest.FirstSequence, digest.LastSequence, digest.Events,
            digest.PreviousDigest, digest.SealedAt);
        if (Convert.ToHexStringLower(recomputed) != digest.Digest)
        {
            yield return new IntegrityProblem(IntegrityProblemKind.DigestAltered, digest.Number, null, digest.FirstSequence,
                $"Digest {digest.Number} does not hash to what it says: its contents were changed");
        }
        else if (digest.PublicKey != trustedPublicKey)
        {
            yield return new IntegrityProblem(IntegrityProblemKind.DigestSignedByUnknownKey, digest.Number, null, digest.FirstSequence,
                $"Digest {digest.Number} is signed with a key that is not this store's signing key");
        }
        else if (!DigestSigner.Verify(trustedPublicKey, recomputed, digest.Signature))
        {
            yield return new IntegrityProblem(IntegrityProblemKind.DigestSignatureInvalid, digest.Number, null, digest.FirstSequence,
                $"Digest {digest.Number}'s signature does not verify");
        }
    }

    /// <summary>
    /// Compares what a digest sealed with what is stored in its range now. <paramref name="elsewhere"/> holds the
    /// sealed events that were not found at their sequence but still exist at another one.
    /// </summary>
    public static IEnumerable<IntegrityProblem> CheckEvents(DigestSealed digest, IReadOnlyList<StoredEvent> inRange,
        IReadOnlyDictionary<Guid, StoredEvent> elsewhere)
    {
        var stored = inRange.ToDictionary(e => e.Sequence);
        var byId = inRange.ToDictionary(e => e.EventId);
        var sealedIds = digest.Events.Select(e => e.EventId).ToHashSet();
        foreach (var sealedEvent in digest.Events)
        {
            if (stored.TryGetValue(sealedEvent.Sequence, out var now) && now.EventId == sealedEvent.EventId)
            {
                if (now.Hash() != sealedEvent.Hash)
                {
                    yield return new IntegrityProblem(IntegrityProblemKind.EventChanged, digest.Number, sealedEvent.EventId, sealedEvent.Sequence,
                        $"Event {sealedEvent.EventId} at sequence {sealedEvent.Sequence} was changed after it was sealed");
                }
            }
            else if ((byId.GetValueOrDefault(sealedEvent.EventId) ?? elsewhere.GetValueOrDefault(sealedEvent.EventId)) is { } moved)
            {
                yield return new IntegrityProblem(IntegrityProblemKind.EventReordered, digest.Number, sealedEvent.EventId, sealedEvent.Sequence,
                    $"Event {sealedEvent.EventId} was sealed at sequence {sealedEvent.Sequence} but is now at {moved.Sequence}");
            }
            else
            {
                yield return new IntegrityProblem(IntegrityProblemKind.EventMissing, digest.Number, sealedEvent.EventId, sealedEvent.Sequence,
                    $"Event {sealedEvent.EventId} sealed at sequence {sealedEvent.Sequence} is no longer stored");
            }
        }

        foreach (var extra in inRange.Where(e => !sealedIds.Contains(e.EventId)))
        {
            yield return new IntegrityProblem(IntegrityProblemKind.EventInserted, digest.Number, extra.EventId, extra.Sequence,
                $"Event {extra.EventId} at sequence {extra.Sequence} lies in a sealed range but was not sealed");
        }
    }
}
