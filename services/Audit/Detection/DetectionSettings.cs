using Gatehouse.Contracts.Alerts;
using Gatehouse.ServiceDefaults.Settings;

namespace Gatehouse.Audit.Detection;

/// <summary>The alert rules, from <c>Gatehouse:Audit:Detection</c>: each can be turned off and tuned.</summary>
public sealed class DetectionSettings
{
    public const string Section = "Gatehouse:Audit:Detection";

    public RuleSettings BruteForce { get; set; } = new() { Severity = AlertSeverity.High, Threshold = 5, Window = TimeSpan.FromMinutes(5) };

    /// <summary>Threshold counts distinct user names failing from one source.</summary>
    public RuleSettings PasswordSpraying { get; set; } = new() { Severity = AlertSeverity.High, Threshold = 5, Window = TimeSpan.FromMinutes(10) };

    public RuleSettings MfaFailures { get; set; } = new() { Severity = AlertSeverity.Medium, Threshold = 3, Window = TimeSpan.FromMinutes(10) };

    public RuleSettings NewSource { get; set; } = new() { Severity = AlertSeverity.Medium };

    public RuleSettings OutsideBusinessHours { get; set; } = new() { Severity = AlertSeverity.Low };

    public BusinessHours BusinessHours { get; set; } = new();

    public RuleSettings DenialBurst { get; set; } = new() { Severity = AlertSeverity.Medium, Threshold = 5, Window = TimeSpan.FromMinutes(5) };

    public PatternRuleSettings PrivilegeEscalation { get; set; } = new()
    {
        Severity = AlertSeverity.High,
        Patterns =
        [
            @"\bsudo\s+(-\w*[is]\w*\b|su\b|bash\b|sh\b|-s\b)", @"(^|[;&|]\s*)su(\s+-|\s+root|\s*$)", @"\bpkexec\b", @"\bdoas\s+(sh|bash|-s)",
            @"\bvisudo\b", @"/etc/sudoers",
            // A set-user-ID or set-group-ID mode, symbolic or numeric: u+s, +s, u=rwxs, g-w,u+s, 4755, 02755.
            @"\bchmod\s+(-\S+\s+)*([ugoa]*[-+=][rwxXst]*,)*[ugoa]*[+=][rwxXt]*s", @"\bchmod\s+(-\S+\s+)*0*[2-7][0-7]{3}(\s|$)",
        ],
    };

    public PatternRuleSettings DestructiveCommand { get; set; } = new()
    {
        Severity = AlertSeverity.Critical,
        Patterns =
        [
            @"\brm\s+(-[\w-]+\s+)*(-\w*[rR]\w*|--r[a-z]*)\s+(-[\w-]+\s+)*(/|/\*|~|/(etc|var|usr|boot|home|root)/?)(\s|$)", @"\bmkfs(\.\w+)?\b",
            @"\bdd\b.*\bof=/dev/(sd|nvme|vd|xvd|hd|mmcblk)", @"\bhistory\s+-c\b", @"\bunset\s+HISTFILE\b", @"HISTFILE=/dev/null",
            @"\bshred\b.*(/var/log|\.bash_history)", @"(>|truncate\s+-s\s*0\s+)\s*/var/log/", @"\brm\b.*(/var/log/|\.bash_history)",
            @"\b(systemctl|service)\s+(stop|disable|mask)\s+auditd\b", @"\bauditctl\s+-D\b", @"\bauditctl\s+-e\s*0\b",
            @"\bsetenforce\s+0\b", @"\bwipefs\b",
        ],
    };

    /// <summary>Threshold counts distinct targets one user opens sessions on.</summary>
    public RuleSettings TargetFanOut { get; set; } = new() { Severity = AlertSeverity.Medium, Threshold = 5, Window = TimeSpan.FromMinutes(10) };

    /// <summary>Window is how long without a login makes an account dormant.</summary>
    public RuleSettings DormantAccount { get; set; } = new() { Severity = AlertSeverity.Medium, Window = TimeSpan.FromDays(30) };

    public RuleSettings SelfApproval { get; set; } = new() { Severity = AlertSeverity.High };

    public RuleSettings HostKeyChanged { get; set; } = new() { Severity = AlertSeverity.High };

    /// <summary>
    /// The configuration binder adds configured items to the items a list starts with, so a configured list of patterns
    /// or business days would only ever extend the defaults (Sunday to Thursday became every day but Saturday). A list
    /// that configuration gives replaces the default instead.
    /// </summary>
    public void ReplaceConfiguredLists(IConfiguration section)
    {
        PrivilegeEscalation.Patterns = Configured(section, "PrivilegeEscalation:Patterns", PrivilegeEscalation.Patterns);
        DestructiveCommand.Patterns = Configured(section, "DestructiveCommand:Patterns", DestructiveCommand.Patterns);
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
        services.AddOptions<DetectionSettings>().Bind(section).PostConfigure(settings => settings.ReplaceConfiguredLists(section))
            .ValidateProblems(Problems).ValidateOnStart();
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

        foreach (var property in typeof(DetectionSettings).GetProperties().Where(p => p.PropertyType.IsAssignableTo(typeof(RuleSettings))))
        {
            var rule = (RuleSettings)property.GetValue(settings)!;
            var key = $"{DetectionSettings.Section}:{property.Name}";
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
    /// Regular expressions (case-insensitive) matched against each command line as typed and each simple command the
    /// gateway read in it, written as <c>program arg arg</c> (the program's file name, arguments after quote removal; an
    /// argument with blanks in single quotes).
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
