using Gatehouse.Contracts.Alerts;
using Gatehouse.ServiceDefaults.Settings;

namespace Gatehouse.Audit.Detection;

/// <summary>The alert rules, from <c>Gatehouse:Audit:Detection</c>: each can be turned off and tuned.</summary>
public sealed class DetectionSettings
{
    public const string Section = "Gatehouse:Audit:Detection";

    // Not a property, so the binder leaves it alone: each rule binds from its own key (Gatehouse:Audit:Detection:BruteForce).
    private readonly Dictionary<string, RuleSettings> _rules = DetectionRules.All.ToDictionary(rule => rule.Name, rule => rule.Defaults());

    /// <summary>A declared rule's settings, by its name (<see cref="DetectionRules.BruteForce"/>).</summary>
    public RuleSettings this[string rule] => _rules[rule];

    public BusinessHours BusinessHours { get; set; } = new();

    /// <summary>
    /// Binds each declared rule from its key. The configuration binder adds configured items to the items a list starts
    /// with, so a configured list of patterns or business days would only ever extend the defaults (Sunday to Thursday
    /// became every day but Saturday). A list that configuration gives replaces the default instead.
    /// </summary>
    public void BindRules(IConfiguration section)
    {
        foreach (var rule in DetectionRules.All)
        {
            var settings = this[rule.Name];
            section.GetSection(rule.SettingsKey).Bind(settings);
            if (settings is PatternRuleSettings patterns)
            {
                patterns.Patterns = Configured(section, $"{rule.SettingsKey}:Patterns", patterns.Patterns);
            }
        }

        BusinessHours.Days = Configured(section, "BusinessHours:Days", BusinessHours.Days);
    }

    private static List<T> Configured<T>(IConfiguration section, string key, List<T> bound) =>
        section.GetSection(key).Get<List<T>>() is { Count: > 0 } configured ? configured : bound;
}

public static class DetectionSettingsRegistration
{
    public static IServiceCollection AddDetectionSettings(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection(DetectionSettings.Section);
        // A setting the rules cannot use would fail every event in the daemon and stop detection altogether: refuse it at start.
        services.AddSettings<DetectionSettings>(section, Problems).PostConfigure(settings => settings.BindRules(section));
        return services;
    }

    public static IReadOnlyList<string> Problems(DetectionSettings settings)
    {
        var problems = new List<string>();
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(settings.BusinessHours.TimeZone, out _))
        {
            problems.Add($"{DetectionSettings.Section}:BusinessHours:TimeZone '{settings.BusinessHours.TimeZone}' is not a known time zone");
        }

        if (settings.BusinessHours.End <= settings.BusinessHours.Start)
        {
            problems.Add($"{DetectionSettings.Section}:BusinessHours:End must be after Start");
        }

        foreach (var declared in DetectionRules.All)
        {
            var rule = settings[declared.Name];
            var key = $"{DetectionSettings.Section}:{declared.SettingsKey}";
            if (rule.Threshold < 1)
            {
                problems.Add($"{key}:Threshold must be at least 1");
            }

            if (rule.Window <= TimeSpan.Zero || rule.Suppression < TimeSpan.Zero)
            {
                problems.Add($"{key}:Window must be positive and Suppression not negative");
            }

            if (rule is PatternRuleSettings patterns)
            {
                for (var i = 0; i < patterns.Patterns.Count; i++)
                {
                    try
                    {
                        _ = new System.Text.RegularExpressions.Regex(patterns.Patterns[i]);
                    }
                    catch (ArgumentException ex)
                    {
                        problems.Add($"{key}:Patterns:{i} is not a regular expression ({ex.Message})");
                    }
                }
            }
        }

        return problems;
    }
}

public class RuleSettings
{
    public bool Enabled { get; set; } = true;
    public AlertSeverity Severity { get; set; } = AlertSeverity.Medium;
    public int Threshold { get; set; } = 1;
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>An alert with the same deduplication key is not raised again for this long.</summary>
    public TimeSpan Suppression { get; set; } = TimeSpan.FromHours(1);
}

public sealed class PatternRuleSettings : RuleSettings
{
    /// <summary>
    /// The operator's escape hatch, beside the rule's built-in command signatures (<see cref="CommandSignatures"/>):
    /// regular expressions (case-insensitive) matched against each command line as typed and each simple command the
    /// shell reader reads in it, written as <c>program arg arg</c> (the program's file name, arguments after quote
    /// removal, joined by single spaces, as the command policies' text patterns see them). None by default.
    /// </summary>
    public List<string> Patterns { get; set; } = [];
}

/// <summary>When access is expected; anything else is "outside business hours".</summary>
public sealed class BusinessHours
{
    public string TimeZone { get; set; } = "UTC";
    public TimeOnly Start { get; set; } = new(7, 0);
    public TimeOnly End { get; set; } = new(19, 0);
    public List<DayOfWeek> Days { get; set; } = [DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday];
}
