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

public static class StreamUpdates
{
    /// <summary>
    /// Fetch, decide, append, save (EventSourcing.NetCore's GetAndUpdate): reads <typeparamref name="T"/> at its current
    /// version, lets <paramref name="decide"/> turn it into an event (or none), and stores that event only if nobody
    /// wrote to the stream meanwhile.
    /// </summary>
    public static async Task<StreamUpdate> GetAndUpdateAsync<T>(this IDocumentSession session, Guid id, Func<T, IAccessEvent?> decide,
        CancellationToken cancellationToken) where T : class
    {
        var stream = await session.Events.FetchForWriting<T>(id, cancellationToken);
        if (stream.Aggregate is not { } current)
        {
            return StreamUpdate.NotFound;
        }

        if (decide(current) is not { } change)
        {
            return StreamUpdate.Unchanged;
        }

        session.AppendAccessEvent(id, change);
        try
        {
            await session.SaveChangesAsync(cancellationToken);
            return StreamUpdate.Saved;
        }
        catch (Exception ex) when (StoreErrors.IsConflict(ex))
        {
            return StreamUpdate.Conflict;
        }
    }
}
