namespace Gatehouse.ServiceDefaults.EventStore;

/// <summary>The one way an event's own id is made, in every service.</summary>
public static class EventIds
{
    /// <summary>
    /// A version-7 id from the event's time: ids sort as the events happened (and stay close together in PostgreSQL's
    /// indexes), which random ids do not.
    /// </summary>
    public static Guid New(DateTimeOffset at) => Guid.CreateVersion7(at);
}
