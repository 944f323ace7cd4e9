using System.Text.Json;
using System.Text.Json.Nodes;
using Gatehouse.Audit.Alerts;
using Gatehouse.Audit.AuditTrail;
using Gatehouse.Audit.Soc.Exporting;
using Gatehouse.Audit.Tests.Integrity;
using Gatehouse.Contracts;
using Gatehouse.Contracts.Alerts;
using Xunit.Abstractions;

namespace Gatehouse.Audit.Tests.Soc.Exporting;

public sealed class When_events_are_exported_as_ocsf(ITestOutputHelper output)
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;

    [Fact]
    public async Task Should_export_every_event_type_as_a_valid_ocsf_13_record_of_a_class_that_describes_it()
    {
        await using var store = new SealedStore();
        var user = $"ocsf-{Guid.NewGuid():N}"[..20];
        var samples = EveryAccessEvent.Samples(user, Now);
        await store.Audit.RecordAsync(samples);
        using var client = store.Audit.Analyst();

        var records = (await client.GetStringAsync("/api/audit/export?format=ocsf")).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => JsonNode.Parse(line)!.AsObject()).ToList();

        var byType = records.GroupBy(r => r["metadata"]!["event_code"]!.ToString()).ToDictionary(g => g.Key, g => g.ToList());
        Assert.Equal(AccessEventTypes.All.Select(t => t.Name).Order(), byType.Keys.Order());
        Assert.All(records, record => Assert.True(Ocsf13.Problems(record).Count == 0,
            $"{record["metadata"]!["event_code"]}: {string.Join("; ", Ocsf13.Problems(record))}\n{record.ToJsonString()}"));
        var baseEvents = byType.Where(t => t.Value.Any(r => (int)r["class_uid"]! == 0)).Select(t => t.Key).ToList();
        output.WriteLine($"{records.Count} records of {byType.Count} event types; Base Event: {baseEvents.Count} types ({string.Join(", ", baseEvents)})");
        Assert.Empty(baseEvents);
    }

    public static TheoryData<IAccessEvent, int, int, int, int> Classes => new()
    {
        // event, class_uid, activity_id, status_id, severity_id
        { new LoginSucceeded("alice", "publickey,keyboard-interactive", null, "alice", "10.0.0.5", Correlation, Id, Now), 3002, 1, 1, 1 },
        { new LoginFailed("alice", "password", LoginFailureReason.WrongPassword, null, "alice", "10.0.0.5", Correlation, Id, Now), 3002, 1, 2, 2 },
        { new AccessDenied("alice", "db01", "postgres", AccessDenialReason.NoMatchingGrant, "no grant", "authorization", "10.0.0.5", Correlation, Id, Now),
            3003, 1, 2, 3 },
        { new SessionRefused(Guid.NewGuid(), "alice", "db01", "postgres", SessionRefusalReason.AccessRefused, "denied", "alice", "10.0.0.5", Correlation,
            Id, Now), 4007, 5, 2, 3 },
        { new SessionTerminated(Guid.NewGuid(), "alice", "db01", "postgres", "sam", "suspicious", "sam", "10.0.0.9", Correlation, Id, Now), 4007, 2, 1, 2 },
        { new TargetHostKeyMismatched("db01", "10.0.0.7:22", "SHA256:a", "SHA256:b", "alice", "10.0.0.5", Correlation, Id, Now), 4007, 4, 2, 4 },
        { new SftpFileOperation(Guid.NewGuid(), 1, "alice", "db01", "deploy", SftpOperation.Rename, "/tmp/a", "/tmp/b", "alice", "10.0.0.5", Correlation,
            Id, Now), 1001, 5, 1, 1 },
        { new SftpFileOperation(Guid.NewGuid(), 2, "alice", "db01", "deploy", SftpOperation.OpenForWrite, "/tmp/a", null, "alice", "10.0.0.5",
            Correlation, Id, Now), 1001, 3, 1, 1 },
        { new CommandBlocked(Guid.NewGuid(), 1, "alice", "db01", "deploy", "rm -rf /", "rm -rf /", Guid.NewGuid(), "no-wipe", CommandPolicyAction.Deny,
            CommandCapture.Exec, "alice", "10.0.0.5", Correlation, Id, Now), 1007, 1, 2, 3 },
        { new MfaEnrolled(Guid.NewGuid(), "alice", "alice", "10.0.0.5", Correlation, Id, Now), 3001, 10, 1, 1 },
        { new AccountLocked("alice", 5, Now.AddMinutes(15), "authentication", "10.0.0.5", Correlation, Id, Now), 3001, 9, 1, 3 },
        { new GrantIssued(Guid.NewGuid(), GrantSubjectKind.Role, "dba", [], new Dictionary<string, string> { ["team"] = "dba" }, ["postgres"], [], null,
            [], null, false, true, null, "root", "10.0.0.9", Correlation, Id, Now), 3006, 1, 1, 1 },
        { new AccessChangeRefused("POST /api/grants", null, ChangeRefusalReason.Forbidden, ["user"], "eve", "10.0.0.5", Correlation, Id, Now), 3004, 99, 2, 3 },
        { new AccountChangeRefused("POST /api/users/{name}/keys", "alice", ChangeRefusalReason.InvalidInput, ["admin"], "root", "10.0.0.9", Correlation, Id, Now),
            3004, 99, 2, 2 },
    };

    private static string Correlation => Guid.NewGuid().ToString();

    private static Guid Id => Guid.CreateVersion7();

    [Theory]
    [MemberData(nameof(Classes))]
    public void Should_give_each_event_the_class_activity_status_and_severity_an_analyst_expects(IAccessEvent accessEvent, int classUid, int activityId,
        int statusId, int severityId)
    {
        var record = Ocsf.FromEntry(Entry(accessEvent));

        Assert.Empty(Ocsf13.Problems(record));
        Assert.Equal((classUid, activityId, statusId, severityId),
            ((int)record["class_uid"]!, (int)record["activity_id"]!, (int)record["status_id"]!, (int)record["severity_id"]!));
    }

    [Fact]
    public void Should_name_the_target_a_command_ran_on_as_its_device_and_export_an_old_correlation_id_dashed()
    {
        var session = Guid.NewGuid();
        var command = new CommandExecuted(session, 4, "alice", "web01", "deploy", "systemctl restart app", CommandCapture.Exec, "alice", "10.0.0.5",
            session.ToString("N"), Id, Now);

        var record = Ocsf.FromEntry(Entry(command));

        Assert.Equal(("web01", "systemctl restart app", $"{session:D}/4", "alice"), (record["device"]!["hostname"]!.ToString(),
            record["process"]!["cmd_line"]!.ToString(), record["process"]!["uid"]!.ToString(), record["actor"]!["user"]!["name"]!.ToString()));
        Assert.Equal(session.ToString("D"), record["metadata"]!["correlation_uid"]!.ToString());
    }

    [Fact]
    public void Should_carry_the_algorithms_each_leg_negotiated_in_a_session_starts_original_event()
    {
        // OCSF 1.3's SSH Activity has no attribute for negotiated algorithms (its hassh objects fingerprint the client's
        // offer, not what was agreed), so they stay in the original event under unmapped.
        var started = new SessionStarted(Guid.NewGuid(), "alice", "web01", "10.0.0.7:22", "deploy", SessionKind.Shell, "alice", "10.0.0.5",
            Correlation, Id, Now, new SshAlgorithms("mlkem768x25519-sha256", "chacha20-poly1305@openssh.com", "ssh-ed25519"),
            new SshAlgorithms("sntrup761x25519-sha512", "aes256-gcm@openssh.com", "ssh-ed25519"));

        var record = Ocsf.FromEntry(Entry(started));

        Assert.Empty(Ocsf13.Problems(record));
        var unmapped = record["unmapped"]!.ToJsonString();
        Assert.Contains("mlkem768x25519-sha256", unmapped);
        Assert.Contains("sntrup761x25519-sha512", unmapped);
        Assert.Contains("aes256-gcm@openssh.com", unmapped);
    }

    [Theory]
    [InlineData(GrantSubjectKind.Role, "Role")]
    [InlineData(GrantSubjectKind.ApiRole, "API Role")]
    public void A_grant_to_an_API_role_is_told_apart_from_one_to_an_access_role_of_the_same_name(GrantSubjectKind kind, string type)
    {
        var grant = new GrantIssued(Guid.NewGuid(), kind, "admin", ["db01"], new Dictionary<string, string>(), ["postgres"], [], null,
            [], null, false, true, null, "root", "10.0.0.9", Correlation, Id, Now);

        var record = Ocsf.FromEntry(Entry(grant));

        Assert.Equal(("admin", type), (record["group"]!["name"]!.ToString(), record["group"]!["type"]!.ToString()));
    }

    [Theory]
    [InlineData(AlertStatus.Open, 1, "Create", 1, "New")]
    [InlineData(AlertStatus.Acknowledged, 2, "Update", 2, "In Progress")]
    [InlineData(AlertStatus.Resolved, 3, "Close", 4, "Resolved")]
    public void An_alert_is_a_detection_finding_whose_activity_and_status_follow_the_alert(AlertStatus status, int activityId, string activity,
        int statusId, string statusName)
    {
        var alert = AlertView.Create(new AlertRaised(Guid.NewGuid(), "brute-force", AlertSeverity.High, "Brute force against alice", "brute:alice",
            "alice", "web01", "10.0.0.5", [Guid.NewGuid()], Guid.NewGuid(), Now)) with { Status = status, ResolvedBy = "sam", Resolution = "benign" };

        var finding = Ocsf.FromAlert(alert);

        Assert.Empty(Ocsf13.Problems(finding));
        Assert.Equal((2004, activityId, activity, 200400 + activityId, statusId, statusName, 4),
            ((int)finding["class_uid"]!, (int)finding["activity_id"]!, finding["activity_name"]!.ToString(), (int)finding["type_uid"]!,
                (int)finding["status_id"]!, finding["status"]!.ToString(), (int)finding["severity_id"]!));
    }

    [Fact]
    public void Should_have_the_checker_refuse_what_the_schema_does_not_allow()
    {
        var command = JsonNode.Parse("""
            {"class_uid":1007,"category_uid":1,"activity_id":1,"type_uid":100701,"time":1,"severity_id":1,"status_id":4,
             "metadata":{"version":"1.3.0","product":{"name":"Gatehouse"}},"actor":{"user":{"name":"alice"}},"process":{"cmd_line":"ls"}}
            """)!.AsObject();

        var problems = Ocsf13.Problems(command);

        Assert.Contains(problems, p => p.Contains("required attribute device"));
        Assert.Contains(problems, p => p.Contains("metadata.product: required attribute vendor_name"));
        Assert.Contains(problems, p => p.Contains("process: needs at least one of pid, uid"));
        Assert.Contains(problems, p => p.Contains("status_id 4"));
    }

    /// <summary>The entry the audit store keeps for an event, as its projection writes it.</summary>
    private static AuditEntry Entry(IAccessEvent accessEvent) => new()
    {
        Id = accessEvent.EventId,
        Type = accessEvent.GetType().Name,
        OccurredAt = accessEvent.OccurredAt,
        RecordedAt = accessEvent.OccurredAt,
        Actor = accessEvent.Actor,
        SourceAddress = accessEvent.SourceAddress,
        UserName = EventSubject.UserOf(accessEvent),
        CorrelationId = accessEvent.CorrelationId,
        Data = JsonSerializer.SerializeToElement(accessEvent, accessEvent.GetType(), AuditService.Json),
    };
}
