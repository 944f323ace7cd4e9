using System.Reflection;
using System.Text.RegularExpressions;
using Gatehouse.Audit.Detection;
using Gatehouse.Contracts;
using Gatehouse.Contracts.Alerts;
using Gatehouse.TestSupport;

namespace Gatehouse.Audit.Tests.Detection;

/// <summary>Each rule is declared once, in <see cref="DetectionRules.All"/>; everything that names a rule follows from that list.</summary>
public sealed class When_a_rule_is_declared
{
    private static readonly string Readme = File.ReadAllText(Path.Combine(Infrastructure.RepositoryRoot, "README.md"));

    private static IEnumerable<string> NamedRules() =>
        typeof(DetectionRules).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(field => field is { IsLiteral: true } && field.FieldType == typeof(string))
            .Select(field => (string)field.GetRawConstantValue()!);

    [Fact]
    public void Should_have_settings_a_window_and_be_reached_by_the_dispatcher()
    {
        var settings = new DetectionSettings();
        Assert.Equal(NamedRules().Order(), DetectionRules.All.Select(rule => rule.Name).Order());
        Assert.Equal(DetectionRules.All.Count, DetectionRules.All.Select(rule => rule.SettingsKey).Distinct(StringComparer.OrdinalIgnoreCase).Count());
        foreach (var rule in DetectionRules.All)
        {
            Assert.Matches("^[a-z]+(-[a-z]+)*$", rule.Name);
            Assert.True(settings[rule.Name].Window > TimeSpan.Zero, $"{rule.Name} has no default window");
            Assert.NotSame(settings[rule.Name], new DetectionSettings()[rule.Name]);
            Assert.NotEmpty(rule.Sees);
            foreach (var seen in rule.Sees)
            {
                // The detector hands the rules every access event but the reads of the audit trail itself.
                Assert.True(AccessEventTypes.All.Contains(seen) && seen != typeof(AuditTrailRead), $"{rule.Name} waits for {seen.Name}, which never reaches it");
                Assert.Contains(rule, DetectionRules.Judging(seen));
            }
        }

        Assert.Empty(DetectionSettingsRegistration.Problems(settings));
    }

    [Fact]
    public void Should_be_tuned_by_operators_under_the_keys_and_from_the_defaults_it_always_had()
    {
        var settings = new DetectionSettings();
        var shipped = DetectionRules.All.ToDictionary(rule => rule.SettingsKey,
            rule => (settings[rule.Name].Severity, settings[rule.Name].Threshold, settings[rule.Name].Window, settings[rule.Name].Suppression));
        var hour = TimeSpan.FromHours(1);
        var fiveMinutes = TimeSpan.FromMinutes(5);
        var tenMinutes = TimeSpan.FromMinutes(10);
        Assert.Equal(new Dictionary<string, (AlertSeverity, int, TimeSpan, TimeSpan)>
        {
            ["BruteForce"] = (AlertSeverity.High, 5, fiveMinutes, hour),
            ["PasswordSpraying"] = (AlertSeverity.High, 5, tenMinutes, hour),
            ["MfaFailures"] = (AlertSeverity.Medium, 3, tenMinutes, hour),
            ["NewSource"] = (AlertSeverity.Medium, 1, fiveMinutes, hour),
            ["OutsideBusinessHours"] = (AlertSeverity.Low, 1, fiveMinutes, hour),
            ["DenialBurst"] = (AlertSeverity.Medium, 5, fiveMinutes, hour),
            ["PrivilegeEscalation"] = (AlertSeverity.High, 1, fiveMinutes, hour),
            ["DestructiveCommand"] = (AlertSeverity.Critical, 1, fiveMinutes, hour),
            ["AntiForensic"] = (AlertSeverity.High, 1, fiveMinutes, hour),
            ["TargetFanOut"] = (AlertSeverity.Medium, 5, tenMinutes, hour),
            ["DormantAccount"] = (AlertSeverity.Medium, 1, TimeSpan.FromDays(30), hour),
            ["SelfApproval"] = (AlertSeverity.High, 1, fiveMinutes, hour),
            ["HostKeyChanged"] = (AlertSeverity.High, 1, fiveMinutes, hour),
            ["RefusedAdminChange"] = (AlertSeverity.Medium, 5, tenMinutes, hour),
            ["VulnerableTarget"] = (AlertSeverity.High, 1, fiveMinutes, hour),
            ["BastionCritical"] = (AlertSeverity.Critical, 1, fiveMinutes, TimeSpan.FromDays(1)),
        }, shipped);
        // The command rules describe commands by program and arguments; regular expressions are the operator's to add.
        Assert.All(new[] { DetectionRules.PrivilegeEscalation, DetectionRules.DestructiveCommand, DetectionRules.AntiForensic },
            rule => Assert.Empty(Assert.IsType<PatternRuleSettings>(settings[rule]).Patterns));
        // Dormant-account's thirty days are not a look-back: windows are pruned after the longest real one (10 min), and the
        // bastion's day-long suppression keeps only what was raised, not every window, for a day.
        Assert.Equal(new DetectionRules.LookBack(tenMinutes, TimeSpan.FromDays(1)), DetectionRules.LongestLookBack(settings));
    }

    [Fact]
    public void Should_be_listed_in_the_readme_with_its_keys_and_nothing_else()
    {
        var section = Readme[Readme.IndexOf("| rule (`--rule`) |", StringComparison.Ordinal)..];
        var table = section[..section.IndexOf("\n\n", StringComparison.Ordinal)];
        var listed = Regex.Matches(table, @"^\| `([a-z-]+)` \|", RegexOptions.Multiline).Select(m => m.Groups[1].Value);
        Assert.Equal(DetectionRules.All.Select(rule => rule.Name).Order(), listed.Order());

        var tuning = Regex.Match(Readme, @"Each rule is tuned under `Gatehouse:Audit:Detection:<Rule>` \(([^)]*)\)");
        Assert.True(tuning.Success, "the README no longer says where each rule is tuned");
        var keys = Regex.Matches(tuning.Groups[1].Value, "`([A-Za-z]+)`").Select(m => m.Groups[1].Value);
        Assert.Equal(DetectionRules.All.Select(rule => rule.SettingsKey).Order(), keys.Order());
    }
}
