using System.Net;
using Gatehouse.Contracts;

namespace Gatehouse.Audit.Storing;

/// <summary>
/// What the audit store requires of every event it accepts. A violation is an <see cref="ArgumentException"/>,
/// which the bus does not retry: the message goes straight to the error queue and nothing is stored.
/// </summary>
internal static class AccessEventValidation
{
    private const int MaxIdentifierLength = 256;
    private static readonly TimeSpan AllowedClockSkew = TimeSpan.FromMinutes(5);

    public static void EnsureValid(IAccessEvent accessEvent, Guid? messageId, DateTimeOffset now)
    {
        var type = accessEvent.GetType().Name;
        if (accessEvent.EventId == Guid.Empty)
        {
            throw new ArgumentException($"{type} has no event id");
        }

        if (messageId is { } id && id != accessEvent.EventId)
        {
            throw new ArgumentException($"{type} {accessEvent.EventId} arrived with a different message id {id}");
        }

        if (accessEvent.OccurredAt == default || accessEvent.OccurredAt > now + AllowedClockSkew)
        {
            throw new ArgumentException($"{type} {accessEvent.EventId} has an impossible time {accessEvent.OccurredAt:O}");
        }

        RequireIdentifier(accessEvent.Actor, "actor", type, accessEvent.EventId);
        RequireIdentifier(accessEvent.CorrelationId, "correlation id", type, accessEvent.EventId);
        if (accessEvent.SourceAddress is { } source && !IPAddress.TryParse(source, out _))
        {
            throw new ArgumentException($"{type} {accessEvent.EventId} has a source address that is not an IP address");
        }
    }

    private static void RequireIdentifier(string? value, string name, string type, Guid eventId)
    {
        if (string.IsNullOrWhiteSpace(value) || value.Length > MaxIdentifierLength)
        {
            throw new ArgumentException($"{type} {eventId} has no valid {name} (1 to {MaxIdentifierLength} characters)");
        }
    }
}
