using System.Threading.Channels;
using Gatehouse.Contracts;
using Gatehouse.ServiceDefaults.EventStore;
using Marten;
using Marten.Exceptions;

namespace Gatehouse.Audit.Storing;

public enum RecordOutcome
{
    Recorded,
    AlreadyRecorded,
}

/// <summary>
/// Appends received events to the audit store exactly once. Each event becomes its own stream whose id is the
/// event id, so PostgreSQL's unique key rejects a second copy atomically, whichever instance receives it.
/// Events arriving together are committed together (group commit); if a batch holds a copy already stored,
/// its events are committed one by one so each gets its own outcome.
/// </summary>
public sealed class AuditWriter(IDocumentStore store, ILogger<AuditWriter> logger) : BackgroundService
{
    private const int MaxBatch = 500;

    // Several commits in flight keep PostgreSQL busy while the previous batch waits for its flush.
    private const int ConcurrentCommits = 4;

    private readonly Channel<Pending> _queue = Channel.CreateBounded<Pending>(10_000);

    public async Task<RecordOutcome> RecordAsync(IAccessEvent accessEvent, string? traceParent, CancellationToken cancellationToken)
    {
        var pending = new Pending(accessEvent, traceParent);
        await _queue.Writer.WriteAsync(pending, cancellationToken);
        return await pending.Outcome.Task.WaitAsync(cancellationToken);
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Enumerable.Range(0, ConcurrentCommits).Select(_ => CommitLoopAsync(stoppingToken)));

    private async Task CommitLoopAsync(CancellationToken stoppingToken)
    {
        var batch = new List<Pending>(MaxBatch);
        while (await _queue.Reader.WaitToReadAsync(stoppingToken))
        {
            batch.Clear();
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var pending))
            {
                batch.Add(pending);
            }

            await CommitAsync(batch, stoppingToken);
        }
    }

    private async Task CommitAsync(List<Pending> batch, CancellationToken cancellationToken)
    {
        // The same event delivered twice at once is one group: the first copy is stored, the rest are duplicates.
        var groups = batch.GroupBy(p => p.Event.EventId).ToList();
        try
        {
            await SaveAsync(groups.Select(g => g.First()).ToList(), cancellationToken);
            groups.ForEach(g => Complete(g, failure: null));
            return;
        }
        catch (Exception ex) when (groups.Count > 1 && !cancellationToken.IsCancellationRequested)
        {
            logger.LogDebug(ex, "{Count} events could not be committed together; committing them one by one", groups.Count);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            Complete(groups[0], ex);
            return;
        }

        foreach (var group in groups)
        {
            try
            {
                await SaveAsync([group.First()], cancellationToken);
                Complete(group, failure: null);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                Complete(group, ex);
            }
        }
    }

    private void Complete(IGrouping<Guid, Pending> copies, Exception? failure)
    {
        if (failure is not null and not ExistingStreamIdCollisionException)
        {
            var first = copies.First().Event;
            logger.LogError(failure, "Could not record {Type} {EventId} in the audit store", first.GetType().Name, first.EventId);
            foreach (var pending in copies)
            {
                pending.Outcome.TrySetException(failure);
            }

            return;
        }

        var recorded = failure is null;
        foreach (var pending in copies)
        {
            pending.Outcome.TrySetResult(recorded ? RecordOutcome.Recorded : RecordOutcome.AlreadyRecorded);
            recorded = false;
        }
    }

    private async Task SaveAsync(IReadOnlyList<Pending> events, CancellationToken cancellationToken)
    {
        await using var session = store.LightweightSession();
        foreach (var pending in events)
        {
            session.StartStreamWithAccessEvent(pending.Event.EventId, pending.Event, pending.TraceParent);
        }

        await session.SaveChangesAsync(cancellationToken);
    }

    private sealed record Pending(IAccessEvent Event, string? TraceParent)
    {
        public TaskCompletionSource<RecordOutcome> Outcome { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
