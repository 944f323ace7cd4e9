using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Gatehouse.Cli;

/// <summary>
/// How the CLI reads the values operators type (durations, times, ids, numbers) and what it says when one cannot be
/// read: the option, the value and the forms that work, never System.CommandLine's own "as expected type
/// 'System.Nullable`1[System.TimeSpan]'". <see cref="CliRoot"/> applies it to every option and argument of these types,
/// so a new command gets it without asking.
/// </summary>
public static partial class TypedValues
{
    private delegate bool Reader<T>(string text, out T value);

    private const string DurationForms = "use forms like 30m, 2h, 1d or 1h30m (or 02:00:00)";
    private const string TimeForms = "use ISO 8601 such as 2026-12-31T18:00:00Z (no offset means UTC)";
    private const string IdForms = "is not an id; ids look like 0f8fad5b-d9cb-469f-a165-70867728950e, as the list commands show them";

    public static void Apply(Command command)
    {
        foreach (var option in command.Options)
        {
            Use(option);
        }

        foreach (var argument in command.Arguments)
        {
            Use(argument);
        }

        foreach (var subcommand in command.Subcommands)
        {
            Apply(subcommand);
        }
    }

    /// <summary>
    /// A positive duration: days, hours, minutes and seconds as <c>1d</c>, <c>2h</c>, <c>30m</c>, <c>45s</c> or combined
    /// (<c>1h30m</c>), or .NET's <c>[d.]hh:mm[:ss]</c> (<c>02:00:00</c>). A bare number is refused: 2 days or 2 hours?
    /// </summary>
    public static bool TryReadDuration(string text, out TimeSpan duration)
    {
        duration = default;
        text = text.Trim();
        var units = DurationUnits().Match(text);
        try
        {
            if (units.Success && text.Length > 0)
            {
                duration = TimeSpan.FromDays(Part(units, "d")) + TimeSpan.FromHours(Part(units, "h"))
                           + TimeSpan.FromMinutes(Part(units, "m")) + TimeSpan.FromSeconds(Part(units, "s"));
            }
            else if (!text.Contains(':') || !TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out duration))
            {
                return false;
            }
        }
        catch (OverflowException)
        {
            return false;
        }

        return duration > TimeSpan.Zero;

        static long Part(Match match, string unit) => match.Groups[unit].Success ? long.Parse(match.Groups[unit].Value, CultureInfo.InvariantCulture) : 0;
    }

    private static bool TryReadTime(string text, out DateTimeOffset time) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out time);

    private static bool TryReadId(string text, out Guid id) => Guid.TryParse(text, out id);

    private static bool TryReadNumber(string text, out int number) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out number);

    private static void Use(Symbol symbol)
    {
        switch (symbol)
        {
            case Option<TimeSpan> o: o.CustomParser = Read<TimeSpan>(TryReadDuration, $"is not a duration; {DurationForms}", o.DefaultValueFactory); break;
            case Option<TimeSpan?> o: o.CustomParser = Read(OrNull<TimeSpan>(TryReadDuration), $"is not a duration; {DurationForms}", o.DefaultValueFactory); break;
            case Option<DateTimeOffset> o: o.CustomParser = Read<DateTimeOffset>(TryReadTime, $"is not a time; {TimeForms}", o.DefaultValueFactory); break;
            case Option<DateTimeOffset?> o: o.CustomParser = Read(OrNull<DateTimeOffset>(TryReadTime), $"is not a time; {TimeForms}", o.DefaultValueFactory); break;
            case Option<Guid> o: o.CustomParser = Read<Guid>(TryReadId, IdForms, o.DefaultValueFactory); break;
            case Option<Guid?> o: o.CustomParser = Read(OrNull<Guid>(TryReadId), IdForms, o.DefaultValueFactory); break;
            case Option<int> o: o.CustomParser = Read<int>(TryReadNumber, "is not a whole number", o.DefaultValueFactory); break;
            case Option<int?> o: o.CustomParser = Read(OrNull<int>(TryReadNumber), "is not a whole number", o.DefaultValueFactory); break;
            case Argument<TimeSpan> a: a.CustomParser = Read<TimeSpan>(TryReadDuration, $"is not a duration; {DurationForms}", a.DefaultValueFactory); break;
            case Argument<DateTimeOffset> a: a.CustomParser = Read<DateTimeOffset>(TryReadTime, $"is not a time; {TimeForms}", a.DefaultValueFactory); break;
            case Argument<Guid> a: a.CustomParser = Read<Guid>(TryReadId, IdForms, a.DefaultValueFactory); break;
            case Argument<int> a: a.CustomParser = Read<int>(TryReadNumber, "is not a whole number", a.DefaultValueFactory); break;
        }
    }

    private static Reader<T?> OrNull<T>(Reader<T> read) where T : struct => (string text, out T? value) =>
    {
        var ok = read(text, out var plain);
        value = ok ? plain : null;
        return ok;
    };

    private static Func<ArgumentResult, T?> Read<T>(Reader<T> read, string problem, Func<ArgumentResult, T>? fallback) => result =>
    {
        if (result.Tokens.Count == 0)
        {
            return fallback is null ? default : fallback(result);
        }

        var text = result.Tokens[^1].Value;
        if (read(text, out var value))
        {
            return value;
        }

        var name = result.Parent is OptionResult option ? option.Option.Name : $"<{result.Argument.Name}>";
        result.AddError($"{name}: '{text}' {problem}");
        return default;
    };

    [GeneratedRegex(@"^(?:(?<d>\d{1,6})d)?(?:(?<h>\d{1,7})h)?(?:(?<m>\d{1,9})m)?(?:(?<s>\d{1,10})s)?$", RegexOptions.IgnoreCase)]
    private static partial Regex DurationUnits();
}
