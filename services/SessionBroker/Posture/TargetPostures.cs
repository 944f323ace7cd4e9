using Gatehouse.Contracts;
using Gatehouse.Contracts.Authorization;
using Gatehouse.ServiceDefaults.EventStore;
using Marten;
using Microsoft.Extensions.Options;

namespace Gatehouse.SessionBroker.Posture;

/// <summary>
/// The targets' posture as the gateway applies it: the vulnerability table (loaded and checked once, at start), the
/// per-label policy, and each target's last known SSH server, recorded as an event only when what it told changed.
/// </summary>
public sealed class TargetPostures(IDocumentStore store, IOptions<PostureSettings> settings, TimeProvider clock, ILogger<TargetPostures> logger)
{
    public VulnerabilityTable Table { get; } = VulnerabilityTable.Load(settings.Value.TablePath());

    public PostureSettings Settings { get; } = settings.Value;

    public async Task<TargetPosture?> FindAsync(string target, CancellationToken cancellationToken)
    {
        await using var session = store.QuerySession();
        return await session.LoadAsync<TargetPosture>(TargetPosture.StreamId(target), cancellationToken);
    }

    /// <summary>The policy's verdict on what <paramref name="server"/> told, for a session under <paramref name="access"/>.</summary>
    public PostureVerdict Decide(AccessAllowed access, TargetSshServer server, DateTimeOffset? overrideUntil) =>
        PosturePolicy.Decide(Settings.Rules, access.TargetLabels, PostureJudgement.Judge(server, Table), overrideUntil, clock.GetUtcNow());

    /// <summary>
    /// Records what the target's server told when it differs from the last known (or is the first), with the posture judged
    /// from it. A failure to record is logged, not fatal: the session's own record still names the target.
    /// </summary>
    public async Task RecordAsync(AccessAllowed access, TargetSshServer server, string actor, string? sourceAddress, string correlationId,
        CancellationToken cancellationToken)
    {
        try
        {
            await using var session = store.LightweightSession();
            var streamId = TargetPosture.StreamId(access.Target);
            var known = await session.LoadAsync<TargetPosture>(streamId, cancellationToken);
            if (known?.Server is { } previous && Same(previous, server))
            {
                return;
            }

            var now = clock.GetUtcNow();
            var changed = new TargetSshInventoryChanged(access.Target, $"{access.TargetAddress}:{access.TargetPort}", server, known?.Server,
                PostureJudgement.Judge(server, Table), known?.IsVulnerable ?? false, Table.Date, actor, sourceAddress, correlationId,
                EventIds.New(now), now);
            if (known is null)
            {
                session.StartStreamWithAccessEvent(streamId, changed);
            }
            else
            {
                session.AppendAccessEvent(streamId, changed);
            }

            await session.SaveChangesAsync(cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Two sessions that saw the same change at once: one recorded it, which is all that is wanted.
            logger.Log(StoreErrors.IsConflict(e) ? LogLevel.Debug : LogLevel.Error, e, "Could not record the SSH inventory of {Target}", access.Target);
        }
    }

    /// <summary>Whether two observations say the same (lists in order: a reordered offer is a change of configuration).</summary>
    public static bool Same(TargetSshServer a, TargetSshServer b) =>
        a.Version == b.Version && a.StrictKex == b.StrictKex && a.KeyExchanges.SequenceEqual(b.KeyExchanges)
        && a.Ciphers.SequenceEqual(b.Ciphers) && a.Macs.SequenceEqual(b.Macs) && a.HostKeyAlgorithms.SequenceEqual(b.HostKeyAlgorithms);
}
