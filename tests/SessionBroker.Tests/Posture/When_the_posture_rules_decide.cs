using Gatehouse.Contracts;
using Gatehouse.SessionBroker.Posture;

namespace Gatehouse.SessionBroker.Tests.Posture;

public sealed class When_the_posture_rules_decide
{
    private static readonly DateTimeOffset Now = new(2026, 12, 4, 21, 0, 0, TimeSpan.Zero);
    private static readonly PostureFinding Critical = new("CVE-2024-6387", FindingSeverity.Critical, "regreSSHion", "update", true);
    private static readonly PostureFinding Low = new("no-post-quantum-kex", FindingSeverity.Low, "no pq", "upgrade");

    private static readonly IReadOnlyList<PostureRule> Rules =
    [
        new() { Label = "*", Action = PostureAction.Warn, AtOrAbove = FindingSeverity.High },
        new() { Label = "env=prod", Action = PostureAction.Refuse, AtOrAbove = FindingSeverity.High },
        new() { Label = "env=lab", Action = PostureAction.Record, AtOrAbove = FindingSeverity.Info },
    ];

    private static Dictionary<string, string> Labels(string env) => new() { ["env"] = env };

    [Fact]
    public void Should_decide_by_the_strictest_matching_rule_a_finding_reaches()
    {
        var verdict = PosturePolicy.Decide(Rules, Labels("prod"), [Critical, Low], null, Now);
        Assert.Equal(PostureAction.Refuse, verdict.Action);
        Assert.Equal([Critical], verdict.Triggering);
        Assert.Contains("CVE-2024-6387 (critical)", verdict.Message("db01"));

        Assert.Equal(PostureAction.Warn, PosturePolicy.Decide(Rules, Labels("dev"), [Critical], null, Now).Action);
        Assert.Equal(PostureAction.Warn, PosturePolicy.Decide(Rules, Labels("lab"), [Critical], null, Now).Action);
        Assert.Equal(PostureAction.Warn, PosturePolicy.Decide(Rules, null, [Critical], null, Now).Action);
    }

    [Fact]
    public void Should_only_record_findings_below_the_rules_severity()
    {
        Assert.Equal(PostureAction.Record, PosturePolicy.Decide(Rules, Labels("prod"), [Low], null, Now).Action);
        Assert.Equal(PostureAction.Record, PosturePolicy.Decide([], Labels("prod"), [Critical], null, Now).Action);
    }

    [Fact]
    public void Should_turn_a_refusal_into_a_warning_under_an_override_in_force_and_not_under_an_expired_one()
    {
        var overridden = PosturePolicy.Decide(Rules, Labels("prod"), [Critical], Now.AddHours(1), Now);
        Assert.Equal((PostureAction.Warn, true), (overridden.Action, overridden.Overridden));
        Assert.Contains("emergency override", overridden.Message("db01"));
        Assert.Equal(PostureAction.Refuse, PosturePolicy.Decide(Rules, Labels("prod"), [Critical], Now.AddSeconds(-1), Now).Action);
    }

    [Theory]
    [InlineData("env=prod", true)]
    [InlineData("env=dev", false)]
    [InlineData("team=prod", false)]
    [InlineData("*", true)]
    [InlineData("env", false)]
    public void A_rule_label_selects_by_key_and_value(string label, bool selects) =>
        Assert.Equal(selects, PosturePolicy.Matches(label, Labels("prod")));
}
