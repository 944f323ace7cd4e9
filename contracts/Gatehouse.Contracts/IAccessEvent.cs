namespace Gatehouse.Contracts;

/// <summary>
/// The shape every access event shares. Subscribers can bind to this one type to receive all of them.
/// The event id is also the Marten event id and the bus message id, so consumers deduplicate on it.
/// </summary>
public interface IAccessEvent
{
    Guid EventId { get; }

    /// <summary>When it happened, in UTC.</summary>
    DateTimeOffset OccurredAt { get; }

    /// <summary>Who did it: a Gatehouse user name, or a service name for system actions.</summary>
    string Actor { get; }

    /// <summary>The network address the action came from, when there is one.</summary>
    string? SourceAddress { get; }

    /// <summary>The login attempt or session the event belongs to.</summary>
    string CorrelationId { get; }
}
