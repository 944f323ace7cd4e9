using Gatehouse.Contracts;

namespace Gatehouse.Authorization.Decisions;

public static class TimeWindows
{
    /// <summary>Whether <paramref name="now"/> falls in the window, read on the wall clock of the window's time zone.</summary>
    public static bool IsOpen(GrantTimeWindow window, DateTimeOffset now)
    {
        if (!TryFindZone(window.TimeZone, out var zone))
        {
            return false;
        }

        var local = TimeZoneInfo.ConvertTime(now, zone);
        var time = TimeOnly.FromDateTime(local.DateTime);
        var today = local.DayOfWeek;
        if (window.From < window.To)
        {
            return window.Days.Contains(today) && time >= window.From && time < window.To;
        }

        // Crosses midnight: the window opened today, or opened yesterday and has not closed yet.
        var yesterday = (DayOfWeek)(((int)today + 6) % 7);
        return (window.Days.Contains(today) && time >= window.From)
            || (window.Days.Contains(yesterday) && time < window.To);
    }

    public static bool TryFindZone(string id, out TimeZoneInfo zone)
    {
        try
        {
            zone = TimeZoneInfo.FindSystemTimeZoneById(id);
            return true;
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException or ArgumentException)
        {
            zone = TimeZoneInfo.Utc;
            return false;
        }
    }

    public static string Describe(GrantTimeWindow window) =>
        $"{string.Join(",", window.Days.Select(d => d.ToString()[..3]))} {window.From:HH\\:mm}-{window.To:HH\\:mm} {window.TimeZone}";

    public static string LocalTime(string zoneId, DateTimeOffset now) =>
        TryFindZone(zoneId, out var zone) ? TimeZoneInfo.ConvertTime(now, zone).ToString("ddd HH:mm") : "unknown";
}
