using Gatehouse.Audit.AuditTrail;

namespace Gatehouse.Audit.Querying;

/// <summary>
/// Where a page of stored events ends: an occurrence time (to the microsecond PostgreSQL keeps) and a sequence. The
/// event search pages forwards from it, the timelines backwards.
/// </summary>
public readonly record struct EventCursor(DateTimeOffset OccurredAt, long Sequence)
{
    public static readonly EventCursor Start = new(DateTimeOffset.MinValue, 0);

    public static string At(AuditEntry entry) => $"{ToMicroseconds(entry.OccurredAt)}.{entry.Sequence}";

    public static bool TryParse(string text, out EventCursor cursor)
    {
        cursor = Start;
        var parts = text.Split('.');
        if (parts.Length != 2 || !long.TryParse(parts[0], out var micros) || !long.TryParse(parts[1], out var sequence)
            || micros < 0 || micros > ToMicroseconds(DateTimeOffset.MaxValue) || sequence < 0)
        {
            return false;
        }

        cursor = new EventCursor(new DateTimeOffset(micros * 10, TimeSpan.Zero), sequence);
        return true;
    }

    private static long ToMicroseconds(DateTimeOffset time) => time.UtcTicks / 10;
}
