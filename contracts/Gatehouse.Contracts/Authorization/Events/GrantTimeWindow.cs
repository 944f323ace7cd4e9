namespace Gatehouse.Contracts;

/// <summary>
/// When a grant may be used: on the given days, from <paramref name="From"/> to <paramref name="To"/> in the named IANA
/// time zone. A window whose end is before its start crosses midnight and ends on the next day.
/// </summary>
/// <param name="Days">The days on which the window opens.</param>
public sealed record GrantTimeWindow(
    string TimeZone,
    IReadOnlyList<DayOfWeek> Days,
    TimeOnly From,
    TimeOnly To);
