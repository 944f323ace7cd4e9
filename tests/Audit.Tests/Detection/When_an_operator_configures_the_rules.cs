using Gatehouse.Audit.Detection;
using Gatehouse.Contracts;
using Gatehouse.Contracts.Alerts;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Gatehouse.Audit.Tests.Detection;

/// <summary>The rules as an operator configures them (Gatehouse:Audit:Detection), through the service's own options wiring.</summary>
public sealed class When_an_operator_configures_the_rules
{
    private static DetectionSettings Configure(Dictionary<string, string?> values)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(values.ToDictionary(v => $"{DetectionSettings.Section}:{v.Key}", v => v.Value))
            .Build();
        using var services = new ServiceCollection().AddDetectionSettings(configuration).BuildServiceProvider();
        return services.GetRequiredService<IOptions<DetectionSettings>>().Value;
    }

    private static IReadOnlyList<AlertRaised> Run(DetectionSettings settings, params IAccessEvent[] events)
    {
        var state = DetectionState.Empty;
        var alerts = new List<AlertRaised>();
        foreach (var accessEvent in events)
        {
            var (next, raised) = DetectionRules.Evaluate(state, state.LastSequence + 1, accessEvent, settings);
            state = next;
            alerts.AddRange(raised);
        }

        return alerts;
    }

    private static LoginSucceeded Login(DateTimeOffset at) => new("wim", "publickey", null, "wim", "10.8.0.1", "c", Guid.NewGuid(), at);

    private static CommandExecuted Command(string line) =>
        new(Guid.NewGuid(), 1, "wim", "web01", "root", line, CommandCapture.Exec, "wim", "10.8.0.1", "c", Guid.NewGuid(), new DateTimeOffset(2026, 3, 3, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public void Should_replace_the_default_week_with_configured_business_days_instead_of_adding_to_it()
    {
        var settings = Configure(new()
        {
            ["BusinessHours:TimeZone"] = "Asia/Jerusalem",
            ["BusinessHours:Start"] = "08:00",
            ["BusinessHours:End"] = "17:00",
            ["BusinessHours:Days:0"] = "Sunday",
            ["BusinessHours:Days:1"] = "Monday",
            ["BusinessHours:Days:2"] = "Tuesday",
            ["BusinessHours:Days:3"] = "Wednesday",
            ["BusinessHours:Days:4"] = "Thursday",
        });

        Assert.Equal([DayOfWeek.Sunday, DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday], settings.BusinessHours.Days);
        // 10:00 in Jerusalem (UTC+2 in March): a Sunday is a working day there, a Friday is not.
        Assert.Empty(Run(settings, Login(new DateTimeOffset(2026, 3, 1, 8, 0, 0, TimeSpan.Zero))));
        Assert.Single(Run(settings, Login(new DateTimeOffset(2026, 3, 6, 8, 0, 0, TimeSpan.Zero))), a => a.Rule == DetectionRules.OutsideBusinessHours);
    }

    [Fact]
    public void Should_add_configured_patterns_to_the_signatures_and_leave_unconfigured_ones_empty()
    {
        var settings = Configure(new() { ["DestructiveCommand:Patterns:0"] = @"\bdrop\s+database\b" });

        Assert.Equal([@"\bdrop\s+database\b"], ((PatternRuleSettings)settings[DetectionRules.DestructiveCommand]).Patterns);
        Assert.Single(Run(settings, Command("psql -c 'DROP DATABASE billing'")), a => a.Rule == DetectionRules.DestructiveCommand);
        Assert.Single(Run(settings, Command("rm -rf /")), a => a.Rule == DetectionRules.DestructiveCommand);
        Assert.Equal(((PatternRuleSettings)new DetectionSettings()[DetectionRules.PrivilegeEscalation]).Patterns,
            ((PatternRuleSettings)settings[DetectionRules.PrivilegeEscalation]).Patterns);
        Assert.Equal(new DetectionSettings().BusinessHours.Days, settings.BusinessHours.Days);
    }

    [Fact]
    public void Should_take_thresholds_windows_severity_and_on_off_from_configuration()
    {
        var settings = Configure(new()
        {
            ["BruteForce:Threshold"] = "3",
            ["BruteForce:Window"] = "00:01:00",
            ["BruteForce:Severity"] = "Critical",
            ["NewSource:Enabled"] = "false",
        });

        var noon = new DateTimeOffset(2026, 3, 3, 12, 0, 0, TimeSpan.Zero);
        LoginFailed Failed(DateTimeOffset at) => new("wim", "password", LoginFailureReason.WrongPassword, null, "wim", "10.8.0.1", "c", Guid.NewGuid(), at);
        var alert = Assert.Single(Run(settings, Failed(noon), Failed(noon.AddSeconds(20)), Failed(noon.AddSeconds(40))));
        Assert.Equal((DetectionRules.BruteForce, AlertSeverity.Critical), (alert.Rule, alert.Severity));
        Assert.Empty(Run(settings, Failed(noon), Failed(noon.AddSeconds(40)), Failed(noon.AddSeconds(61))));
        Assert.Empty(Run(settings, Login(noon), Login(noon.AddHours(1)) with { SourceAddress = "203.0.113.9" }));
    }

    [Theory]
    [InlineData("BusinessHours:TimeZone", "Mars/Olympus_Mons", "BusinessHours:TimeZone")]
    [InlineData("PrivilegeEscalation:Patterns:0", "sudo (", "PrivilegeEscalation:Patterns:0")]
    [InlineData("DenialBurst:Threshold", "0", "DenialBurst:Threshold")]
    [InlineData("TargetFanOut:Window", "-00:05:00", "TargetFanOut:Window")]
    public void A_setting_the_rules_cannot_use_is_refused_naming_its_key(string key, string value, string named)
    {
        var refused = Assert.Throws<OptionsValidationException>(() => Configure(new() { [key] = value }));
        Assert.Contains($"{DetectionSettings.Section}:{named}", refused.Message);
    }
}
