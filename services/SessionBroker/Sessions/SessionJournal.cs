using Gatehouse.Contracts;
using Gatehouse.ServiceDefaults.EventStore;
using Marten;

namespace Gatehouse.SessionBroker.Sessions;

/// <summary>Writes a session's access events to its stream; the event store forwards them to the bus.</summary>
public sealed class SessionJournal(IDocumentStore store)
{
    public async Task StartAsync(Guid sessionId, IAccessEvent first, CancellationToken cancellationToken)
    {
        await using var session = store.LightweightSession();
        session.StartStreamWithAccessEvent(sessionId, first);
        await session.SaveChangesAsync(cancellationToken);
    }

    public async Task AppendAsync(Guid sessionId, IAccessEvent accessEvent, CancellationToken cancellationToken)
    {
        await using var session = store.LightweightSession();
        session.AppendAccessEvent(sessionId, accessEvent);
        await session.SaveChangesAsync(cancellationToken);
    }

    /// <summary>Several events of one stream, stored together or not at all.</summary>
    public async Task AppendAsync(Guid streamId, IReadOnlyList<IAccessEvent> accessEvents, CancellationToken cancellationToken)
    {
        await using var session = store.LightweightSession();
        foreach (var accessEvent in accessEvents)
        {
            session.AppendAccessEvent(streamId, accessEvent);
        }

        await session.SaveChangesAsync(cancellationToken);
    }
}
