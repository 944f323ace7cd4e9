using Gatehouse.Contracts;
using Marten;

namespace Gatehouse.ServiceDefaults.EventStore;

/// <summary>What became of one fetch–decide–append–save.</summary>
public enum StreamUpdate
{
    /// <summary>The decision's event is stored.</summary>
    Saved,

    /// <summary>The decision was to change nothing; nothing was stored.</summary>
    Unchanged,

    /// <summary>There is no such stream.</summary>
    NotFound,

    /// <summary>Another writer changed the stream after it was read; nothing was stored (answer 409, or decide again).</summary>
    Conflict,
}

/// <summary>A decision on one stream: the events it appends, in order; none when it changes nothing or refuses.</summary>
public interface IStreamDecision
{
    IReadOnlyList<object> Events { get; }
}

public static class StreamUpdates
{
    /// <summary>
    /// Fetch, decide, append, save (EventSourcing.NetCore's GetAndUpdate): reads <typeparamref name="T"/> at its current
    /// version, lets <paramref name="decide"/> turn it into an event (or none), and stores that event only if nobody
    /// wrote to the stream meanwhile.
    /// </summary>
    public static async Task<StreamUpdate> GetAndUpdateAsync<T>(this IDocumentSession session, Guid id, Func<T, IAccessEvent?> decide,
        CancellationToken cancellationToken) where T : class =>
        (await session.GetAndUpdateAsync<T, OneEvent>(id, current => new OneEvent(decide(current)), cancellationToken)).Update;

    /// <summary>
    /// The same for a decision that may append several events or refuse with a reason: the decision comes back with
    /// the outcome (null when there is no such stream). Access events are stamped as <see cref="AccessEventAppending"/>
    /// does; other events (material that stays in the service) are appended as they are.
    /// </summary>
    public static async Task<(StreamUpdate Update, TDecision? Decision)> GetAndUpdateAsync<T, TDecision>(this IDocumentSession session,
        Guid id, Func<T, TDecision> decide, CancellationToken cancellationToken) where T : class where TDecision : class, IStreamDecision
    {
        var stream = await session.Events.FetchForWriting<T>(id, cancellationToken);
        if (stream.Aggregate is not { } current)
        {
            return (StreamUpdate.NotFound, null);
        }

        var decision = decide(current);
        if (decision.Events.Count == 0)
        {
            return (StreamUpdate.Unchanged, decision);
        }

        foreach (var change in decision.Events)
        {
            if (change is IAccessEvent accessEvent)
            {
                session.AppendAccessEvent(id, accessEvent);
            }
            else
            {
                stream.AppendOne(change);
            }
        }

        try
        {
            await session.SaveChangesAsync(cancellationToken);
            return (StreamUpdate.Saved, decision);
        }
        catch (Exception ex) when (StoreErrors.IsConflict(ex))
        {
            return (StreamUpdate.Conflict, decision);
        }
    }

    private sealed record OneEvent(IAccessEvent? Event) : IStreamDecision
    {
        public IReadOnlyList<object> Events => Event is null ? [] : [Event];
    }
}
