using Gatehouse.ServiceDefaults.Telemetry;
using JasperFx.Events.Daemon;
using JasperFx.Events.Projections;
using Marten;
using Marten.Subscriptions;
using Microsoft.Extensions.Options;

namespace Gatehouse.Audit.Integrity;

/// <summary>
/// Seals newly stored events into the next digests of the chain, at most <c>MaxEventsPerDigest</c> each. It runs in the
/// async daemon, so only the leading Audit instance seals, in sequence order. Each digest is appended in its own
/// transaction, expecting the chain's current version (two sealers can never both extend it); after a crash the page is
/// seen again, and the range already sealed is skipped, so nothing is sealed twice and nothing is left out.
/// </summary>
public sealed class AuditSealer : SubscriptionBase
{
    private readonly IServiceProvider _services;
    private readonly StoredEvents _storedEvents;
    private readonly DigestSigner _signer;
    private readonly TimeProvider _clock;
    private readonly ILogger<AuditSealer> _logger;
    private readonly int _maxEventsPerDigest;
    private DigestSealed? _last;
    private bool _loaded;

    private long SealedUpTo => _last?.LastSequence ?? 0;

    public AuditSealer(IServiceProvider services, StoredEvents storedEvents, DigestSigner signer, TimeProvider clock, IOptions<AuditSettings> settings,
        ILogger<AuditSealer> logger)
    {
        _services = services;
        _storedEvents = storedEvents;
        _signer = signer;
        _clock = clock;
        _logger = logger;
        _maxEventsPerDigest = settings.Value.Integrity.MaxEventsPerDigest;
        Name = "AuditSealer";
        // The chain hashes events exactly as stored, which the sealer reads itself; from the daemon it only needs how far
        // the store reaches. Asking for nothing but digests spares the daemon reading and deserializing every event for it.
        IncludeType<DigestSealed>();
    }

    public override async Task<IChangeListener> ProcessEventsAsync(EventRange page, ISubscriptionController controller,
        IDocumentOperations operations, CancellationToken cancellationToken)
    {
        if (!_loaded)
        {
            _last = await LastDigestAsync(operations, cancellationToken);
            _loaded = true;
        }

        // A page reaches as far as the store has committed, however many events that is: seal it a digest at a time.
        while (SealedUpTo < page.SequenceCeiling)
        {
            var events = await _storedEvents.RangeAsync(SealedUpTo, page.SequenceCeiling, _maxEventsPerDigest, cancellationToken);
            if (events.Count == 0)
            {
                break;
            }

            await SealAsync(events, cancellationToken);
            if (events.Count < _maxEventsPerDigest)
            {
                break;
            }
        }

        return NullChangeListener.Instance;
    }

    private async Task SealAsync(IReadOnlyList<StoredEvent> events, CancellationToken cancellationToken)
    {
        var digest = IntegrityChain.Seal(_last, events[^1].Sequence, events, _signer, _clock.GetUtcNow());
        try
        {
            // Marten's store is resolved here, not injected: the store itself is built with this subscription.
            await using var session = _services.GetRequiredService<IDocumentStore>().LightweightSession();
            session.Events.Append(IntegrityChain.StreamId, digest.Number, digest);
            await session.SaveChangesAsync(cancellationToken);
        }
        catch
        {
            _loaded = false;
            throw;
        }

        _last = digest;
        _logger.LogDebug("Sealed {Count} events up to sequence {Sequence} in digest {Number}", events.Count, digest.LastSequence, digest.Number);
    }

    private static async Task<DigestSealed?> LastDigestAsync(IQuerySession session, CancellationToken cancellationToken) =>
        await session.Events.QueryRawEventDataOnly<DigestSealed>()
            .OrderByDescending(d => d.Number)
            .FirstOrDefaultAsync(cancellationToken);
}
