using Gatehouse.Audit.Alerts;
using Gatehouse.Audit.Detection.Sigma;
using Gatehouse.Contracts;
using Gatehouse.Contracts.Alerts;
using JasperFx.Events.Daemon;
using JasperFx.Events.Projections;
using Marten;
using Marten.Subscriptions;
using Microsoft.Extensions.Options;

namespace Gatehouse.Audit.Detection;

/// <summary>The rules' memory as stored: one document, written in the same transaction as the alerts it led to.</summary>
public sealed class DetectionCheckpoint
{
    public const string TheId = "detection";
    public string Id { get; set; } = TheId;
    public DetectionState State { get; set; } = DetectionState.Empty;
}

/// <summary>
/// Runs the alert rules over the audit store in sequence order, in the async daemon (only the leading Audit instance
/// evaluates). New alert streams and the rules' state are committed together, and the state remembers the last event
/// applied, so a page seen again after a crash or a change of leader raises nothing twice. Alert ids derive from the
/// deduplication key and the first triggering event, so even a second writer would collide instead of duplicating.
/// </summary>
public sealed class AlertDetector : SubscriptionBase
{
    private readonly IServiceProvider _services;
    private readonly IOptionsMonitor<DetectionSettings> _settings;
    private readonly ILogger<AlertDetector> _logger;
    private readonly SigmaRuleSet _sigma;
    private DetectionState? _state;
    private long _ceiling;

    public AlertDetector(IServiceProvider services, IOptionsMonitor<DetectionSettings> settings, ILogger<AlertDetector> logger)
    {
        _services = services;
        _settings = settings;
        _logger = logger;
        _sigma = services.GetRequiredService<SigmaRuleSet>();
        Name = "AlertDetector";
        Options.BatchSize = 500;
    }

    public override async Task<IChangeListener> ProcessEventsAsync(EventRange page, ISubscriptionController controller,
        IDocumentOperations operations, CancellationToken cancellationToken)
    {
        var store = _services.GetRequiredService<IDocumentStore>();
        await using var session = store.LightweightSession();
        // The remembered state is only good for the page right after the one it came from: if another instance led in
        // between (this one lost leadership and won it back), its newer state is in the database.
        var cached = _state is not null && page.SequenceFloor == _ceiling ? _state : null;
        var state = cached ?? (await session.LoadAsync<DetectionCheckpoint>(DetectionCheckpoint.TheId, cancellationToken))?.State
            ?? DetectionState.Empty;
        var settings = _settings.CurrentValue;
        var raised = new List<AlertRaised>();
        foreach (var stored in page.Events)
        {
            if (stored.Data is IAccessEvent accessEvent and not AuditTrailRead)
            {
                var (judged, sigmaAlerts) = _sigma.Evaluate(state, stored.Sequence, accessEvent);
                var (next, alerts) = DetectionRules.Evaluate(judged, stored.Sequence, accessEvent, settings);
                state = next;
                raised.AddRange(alerts.Concat(sigmaAlerts));
            }
        }

        // A page can end with the service's own events (digests, alerts), which carry no access time.
        if (page.Events.Select(e => e.Data).OfType<IAccessEvent>().LastOrDefault() is { } last)
        {
            state = DetectionRules.Prune(state, last.OccurredAt, DetectionRules.LongestLookBack(settings));
        }

        // Ids derive from what was found, so an alert already stored (rules replayed after their state was lost, or a
        // second writer) is the same alert: skipping it keeps the daemon moving instead of failing on the collision forever.
        // One query for the whole page: in an alert storm (hundreds a page) a round trip per alert made the rules fall behind.
        var ids = raised.Select(a => a.AlertId).ToArray();
        var known = ids.Length == 0 ? [] : (await session.Query<AlertView>().Where(a => a.Id.IsOneOf(ids)).Select(a => a.Id)
            .ToListAsync(cancellationToken)).ToHashSet();
        var fresh = raised.Where(a => known.Add(a.AlertId)).ToList();
        fresh.ForEach(alert => session.Events.StartStream<AlertView>(alert.AlertId, alert));

        session.Store(new DetectionCheckpoint { State = state });
        try
        {
            await session.SaveChangesAsync(cancellationToken);
        }
        catch
        {
            _state = null;
            throw;
        }

        _state = state;
        _ceiling = page.SequenceCeiling;
        foreach (var alert in fresh)
        {
            AuditTelemetry.AlertsRaised.Add(1, new KeyValuePair<string, object?>("rule", alert.Rule));
            _logger.LogWarning("Alert {Rule} ({Severity}): {Title}", alert.Rule, alert.Severity, alert.Title);
        }

        return NullChangeListener.Instance;
    }
}
