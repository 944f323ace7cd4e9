using Gatehouse.Audit.Alerts;
using Gatehouse.Audit.Soc.Exporting;
using Gatehouse.Audit.Tests.Soc.Exporting;
using Gatehouse.Contracts.Alerts;

namespace Gatehouse.Audit.Tests.Detection.Sigma;

public sealed class When_a_sigma_alert_is_exported
{
    [Fact]
    public void Should_export_a_sigma_alert_as_a_finding_with_the_rules_id_its_attack_techniques_and_tactics_and_its_tags_as_labels()
    {
        var alert = AlertView.Create(new AlertRaised(Guid.NewGuid(), "sigma:reverse-shell", AlertSeverity.Critical, "Reverse shell one-liner: alice on web01",
            "sigma:reverse-shell:s:l", "alice", "web01", "10.0.0.5", [Guid.NewGuid()], Guid.NewGuid(), SigmaScenarios.Now,
            "2539e1bc-900d-42eb-85b0-7dd7696faa43", ["attack.execution", "attack.t1059.004", "attack.t1095", "attack.command_and_control", "team.red"]));

        var finding = Ocsf.FromAlert(alert);

        Assert.Empty(Ocsf13.Problems(finding));
        var info = finding["finding_info"]!;
        Assert.Equal(("sigma:reverse-shell", "2539e1bc-900d-42eb-85b0-7dd7696faa43"), (info["analytic"]!["name"]!.ToString(), info["analytic"]!["uid"]!.ToString()));
        Assert.Equal(
            ["tactic TA0002", "technique T1059 T1059.004", "technique T1095 ", "tactic TA0011"],
            info["attacks"]!.AsArray().Select(a => a!["tactic"] is { } tactic
                ? $"tactic {tactic["uid"]}"
                : $"technique {a["technique"]!["uid"]} {a["sub_technique"]?["uid"]}"));
        Assert.Equal(5, finding["metadata"]!["labels"]!.AsArray().Count);
    }

    [Fact]
    public void Should_export_a_built_in_alert_with_no_rule_id_attacks_or_labels()
    {
        var alert = AlertView.Create(new AlertRaised(Guid.NewGuid(), "brute-force", AlertSeverity.High, "5 failed logins for alice", "brute-force:alice",
            "alice", null, "10.0.0.5", [Guid.NewGuid()], Guid.NewGuid(), SigmaScenarios.Now));

        var finding = Ocsf.FromAlert(alert);

        Assert.Null(finding["finding_info"]!["analytic"]!["uid"]);
        Assert.Null(finding["finding_info"]!["attacks"]);
        Assert.Null(finding["metadata"]!["labels"]);
    }
}
