using System.Security.Cryptography;
using System.Text;

namespace Gatehouse.Audit.Integrity;

/// <summary>How a digest is computed from the events it seals and the digest before it.</summary>
public static class IntegrityChain
{
    /// <summary>The stream the digests are appended to, in order.</summary>
    public static readonly Guid StreamId = Guid.Parse("5e41ed00-0000-4000-8000-a0d17c4a1700");

    /// <summary>What the first digest links to.</summary>
    public const string Genesis = "genesis";

    public static byte[] ComputeDigest(long number, long firstSequence, long lastSequence, IReadOnlyList<SealedEvent> events,
        string previousDigest, DateTimeOffset sealedAt)
    {
        var text = new StringBuilder()
            .Append(number).Append('\n')
            .Append(previousDigest).Append('\n')
            .Append(firstSequence).Append('\n')
            .Append(lastSequence).Append('\n')
            .Append(sealedAt.UtcTicks).Append('\n');
        foreach (var sealedEvent in events)
        {
            text.Append(sealedEvent.Sequence).Append(' ').Append(sealedEvent.EventId.ToString("D")).Append(' ').Append(sealedEvent.Hash).Append('\n');
        }

        return SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString()));
    }

    public static DigestSealed Seal(DigestSealed? previous, long upToSequence, IReadOnlyList<StoredEvent> events,
        DigestSigner signer, DateTimeOffset now)
    {
        var number = (previous?.Number ?? 0) + 1;
        var first = (previous?.LastSequence ?? 0) + 1;
        var sealedEvents = events.Select(e => new SealedEvent(e.Sequence, e.EventId, e.Hash())).ToList();
        var previousDigest = previous?.Digest ?? Genesis;
        var digest = ComputeDigest(number, first, upToSequence, sealedEvents, previousDigest, now);
        return new DigestSealed(number, first, upToSequence, sealedEvents, previousDigest, Convert.ToHexStringLower(digest),
            signer.Sign(digest), signer.PublicKey, now);
    }
}
