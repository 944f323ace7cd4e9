using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Gatehouse.Audit.Alerts;
using Gatehouse.Audit.AuditTrail;
using Gatehouse.Audit.Querying;
using Gatehouse.Audit.Soc;
using Gatehouse.Audit.Soc.Sessions;
using Gatehouse.Audit.Soc.Timelines;
using Gatehouse.Audit.Tests.EventPipeline;
using Gatehouse.Audit.Tests.Soc.Exporting;
using Gatehouse.Contracts;
using Microsoft.AspNetCore.Mvc;

namespace Gatehouse.Audit.Tests.Soc;

[Collection(AnAuditStoreFedByAProducerCollection.Name)]
public sealed class When_an_analyst_uses_the_soc_api(AnAuditStoreFedByAProducer pipeline)
{
    private sealed record Scenario(string User, string Target, Guid SessionId, string CorrelationId, IReadOnlyList<IAccessEvent> Events);

    /// <summary>A user logs in, opens a session on a target, runs two commands and leaves.</summary>
    private async Task<Scenario> SessionAsync()
    {
        var user = $"olga-{Guid.NewGuid():N}"[..20];
        var target = $"db-{Guid.NewGuid():N}"[..12];
        var sessionId = Guid.NewGuid();
        var correlationId = sessionId.ToString();
        var start = DateTimeOffset.UtcNow.AddSeconds(-10);
        IAccessEvent[] events =
        [
            new LoginSucceeded(user, "publickey", null, user, "192.0.2.44", correlationId, Guid.CreateVersion7(), start),
            new SessionStarted(sessionId, user, target, target + ":22", "postgres", SessionKind.Shell, user, "192.0.2.44", correlationId, Guid.CreateVersion7(), start.AddSeconds(1),
                new SshAlgorithms("mlkem768x25519-sha256", "chacha20-poly1305@openssh.com", "ssh-ed25519"),
                new SshAlgorithms("curve25519-sha256", "aes256-gcm@openssh.com", "rsa-sha2-512")),
            new CommandExecuted(sessionId, 1, user, target, "postgres", "psql -c 'select 1'", CommandCapture.Exec, user, "192.0.2.44", correlationId, Guid.CreateVersion7(), start.AddSeconds(2)),
            new CommandExecuted(sessionId, 2, user, target, "postgres", "vacuum-all --force", CommandCapture.Exec, user, "192.0.2.44", correlationId, Guid.CreateVersion7(), start.AddSeconds(3)),
            new SessionEnded(sessionId, user, target, "postgres", start.AddSeconds(1), 1200, 56000, 0, SessionEndReason.ClientClosed, "ab12", user, "192.0.2.44", correlationId, Guid.CreateVersion7(), start.AddSeconds(4)),
        ];
        await pipeline.Producer.AppendAsync(events);
        await pipeline.WaitForEventsAsync(correlationId, events.Length);
        return new Scenario(user, target, sessionId, correlationId, events);
    }

    [Fact]
    public async Task Should_find_a_session_by_user_target_and_command_with_its_commands_bytes_and_outcome()
    {
        var scenario = await SessionAsync();
        using var client = pipeline.Audit.Analyst();

        // Sessions are built by the async daemon: wait until the whole session is in.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        List<SessionView> byUser;
        do
        {
            byUser = (await client.GetFromJsonAsync<List<SessionView>>($"/api/audit/sessions?user={scenario.User}", AuditService.Json))!;
            if (byUser is [{ EndedAt: not null, Commands.Count: 2 }])
            {
                break;
            }

            await Task.Delay(200);
        } while (DateTime.UtcNow < deadline);

        var session = Assert.Single(byUser);
        Assert.Equal(scenario.SessionId, session.Id);
        Assert.Equal(scenario.Target, session.Target);
        Assert.Equal("192.0.2.44", session.SourceAddress);
        Assert.Equal(["psql -c 'select 1'", "vacuum-all --force"], session.Commands.Select(c => c.CommandLine));
        Assert.Equal(56000, session.BytesToClient);
        Assert.Equal("client-closed", session.Outcome);
        Assert.Equal("ab12", session.RecordingSha256);
        // Which key exchange protected each leg: here the client's was post-quantum and the target's was not.
        Assert.Equal(("mlkem768x25519-sha256", "curve25519-sha256", "rsa-sha2-512"),
            (session.ClientSsh?.KeyExchange, session.TargetSsh?.KeyExchange, session.TargetSsh?.HostKey));
        Assert.False(session.PostQuantum);

        Assert.Single((await client.GetFromJsonAsync<List<SessionView>>($"/api/audit/sessions?target={scenario.Target}&command=vacuum-all", AuditService.Json))!);
        Assert.Empty((await client.GetFromJsonAsync<List<SessionView>>($"/api/audit/sessions?target={scenario.Target}&command=rm%20-rf", AuditService.Json))!);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/audit/sessions/{scenario.SessionId}/recording")).StatusCode);

        async Task<int> Found(string query) =>
            (await client.GetFromJsonAsync<List<SessionView>>($"/api/audit/sessions?user={scenario.User}&{query}", AuditService.Json))!.Count;
        var started = scenario.Events[1].OccurredAt;
        Assert.Equal(1, await Found("open=false&source=192.0.2.44"));
        Assert.Equal(0, await Found("open=true"));
        Assert.Equal(0, await Found("source=192.0.2.45"));
        Assert.Equal(1, await Found($"from={Uri.EscapeDataString(started.ToString("O"))}&to={Uri.EscapeDataString(started.AddSeconds(1).ToString("O"))}"));
        Assert.Equal(0, await Found($"from={Uri.EscapeDataString(started.AddSeconds(1).ToString("O"))}"));
        Assert.Equal(scenario.SessionId, (await client.GetFromJsonAsync<SessionView>($"/api/audit/sessions/{scenario.SessionId}", AuditService.Json))!.Id);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/audit/sessions/{Guid.NewGuid()}")).StatusCode);
    }

    [Fact]
    public async Task Should_filter_events_by_target_source_and_free_text()
    {
        var scenario = await SessionAsync();
        using var client = pipeline.Audit.Analyst();

        var byTarget = (await client.GetFromJsonAsync<QueryAuditEvents.Page>($"/api/audit/events?target={scenario.Target}", AuditService.Json))!;
        Assert.Equal(4, byTarget.Events.Count);
        var bySourceAndActor = (await client.GetFromJsonAsync<QueryAuditEvents.Page>($"/api/audit/events?source=192.0.2.44&actor={scenario.User}", AuditService.Json))!;
        Assert.Equal(5, bySourceAndActor.Events.Count);
        var byText = (await client.GetFromJsonAsync<QueryAuditEvents.Page>($"/api/audit/events?q=vacuum-all&actor={scenario.User}", AuditService.Json))!;
        Assert.Equal(scenario.Events[3].EventId, Assert.Single(byText.Events).Id);
    }

    [Fact]
    public async Task Should_hold_a_users_events_newest_first_in_their_timeline_followed_by_their_login_history()
    {
        var scenario = await SessionAsync();
        using var client = pipeline.Audit.Analyst();

        var timeline = (await client.GetFromJsonAsync<SocEndpoints.UserTimeline>($"/api/audit/users/{scenario.User}/timeline", AuditService.Json))!;
        Assert.Equal(scenario.Events.Select(e => e.EventId).Reverse(), timeline.Events.Select(e => e.Id));

        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (timeline.History is null && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
            timeline = (await client.GetFromJsonAsync<SocEndpoints.UserTimeline>($"/api/audit/users/{scenario.User}/timeline", AuditService.Json))!;
        }

        Assert.Equal("192.0.2.44", Assert.Single(timeline.History!.KnownSources).Address);
        var latest = scenario.Events[^1].OccurredAt;
        var ranged = (await client.GetFromJsonAsync<SocEndpoints.UserTimeline>(
            $"/api/audit/users/{scenario.User}/timeline?from={Uri.EscapeDataString(latest.ToString("O"))}", AuditService.Json))!;
        Assert.Equal(scenario.Events[^1].EventId, Assert.Single(ranged.Events).Id);
        var target = (await client.GetFromJsonAsync<SocEndpoints.TargetTimeline>($"/api/audit/targets/{scenario.Target}/timeline", AuditService.Json))!;
        Assert.Equal(4, target.Events.Count);
    }

    [Fact]
    public async Task Should_export_json_lines_and_ocsf_classes_for_logins_sessions_and_commands()
    {
        var scenario = await SessionAsync();
        using var client = pipeline.Audit.Analyst();

        var jsonl = (await client.GetStringAsync($"/api/audit/export?format=jsonl&actor={scenario.User}")).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        // Exports follow the store's order (the order the integrity chain seals), which the bus need not keep.
        Assert.Equal(scenario.Events.Select(e => e.EventId.ToString()).Order(), jsonl.Select(line => JsonNode.Parse(line)!["id"]!.ToString()).Order());

        var ocsf = (await client.GetStringAsync($"/api/audit/export?format=ocsf&actor={scenario.User}")).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => JsonNode.Parse(line)!)
            .OrderBy(e => scenario.Events.Select(x => x.EventId.ToString()).ToList().IndexOf(e["metadata"]!["uid"]!.ToString()))
            .ToList();
        Assert.Equal([3002, 4007, 1007, 1007, 4007], ocsf.Select(e => (int)e["class_uid"]!));
        Assert.All(ocsf, record => Assert.Empty(Ocsf13.Problems(record.AsObject())));
        Assert.Equal(400701, (int)ocsf[1]["type_uid"]!);
        Assert.Equal("vacuum-all --force", ocsf[3]["process"]!["cmd_line"]!.ToString());
        Assert.Equal(scenario.Events[0].EventId.ToString(), ocsf[0]["metadata"]!["uid"]!.ToString());

        // The same filters as the search: this session's commands on its target only.
        var commands = (await client.GetStringAsync($"/api/audit/export?format=jsonl&target={scenario.Target}&type=CommandExecuted"))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonNode.Parse(line)!).ToList();
        Assert.Equal(2, commands.Count);
        Assert.All(commands, line => Assert.Equal("CommandExecuted", line["type"]!.ToString()));
    }

    private async Task<T> WaitForAsync<T>(HttpClient client, string request, Func<T, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var answer = (await client.GetFromJsonAsync<T>(request, AuditService.Json))!;
            if (done(answer) || DateTime.UtcNow > deadline)
            {
                return answer;
            }

            await Task.Delay(200);
        }
    }

    [Fact]
    public async Task Should_filter_events_by_correlation_id_and_type_together()
    {
        var scenario = await SessionAsync();
        using var client = pipeline.Audit.Analyst();

        var all = (await client.GetFromJsonAsync<QueryAuditEvents.Page>($"/api/audit/events?correlationId={scenario.CorrelationId}", AuditService.Json))!;
        Assert.Equal(scenario.Events.Select(e => e.EventId).Order(), all.Events.Select(e => e.Id).Order());
        Assert.All(all.Events, e => Assert.Equal(scenario.CorrelationId, e.CorrelationId));
        var commands = (await client.GetFromJsonAsync<QueryAuditEvents.Page>(
            $"/api/audit/events?correlationId={scenario.CorrelationId}&type=CommandExecuted", AuditService.Json))!;
        Assert.Equal([scenario.Events[2].EventId, scenario.Events[3].EventId], commands.Events.Select(e => e.Id));
        Assert.Empty((await client.GetFromJsonAsync<QueryAuditEvents.Page>($"/api/audit/events?correlationId={Guid.NewGuid()}", AuditService.Json))!.Events);
    }

    [Fact]
    public async Task Should_list_a_port_forward_with_the_sessions_with_its_destination_and_bytes()
    {
        var user = $"pia-{Guid.NewGuid():N}"[..20];
        var forwardingId = Guid.NewGuid();
        var correlationId = Guid.NewGuid().ToString();
        var opened = DateTimeOffset.UtcNow.AddSeconds(-5);
        IAccessEvent[] events =
        [
            new ForwardingOpened(forwardingId, user, "db01", "postgres", ForwardingKind.Local, "db-1.internal", 5432, "127.0.0.1", 50123, Guid.NewGuid(),
                user, "192.0.2.45", correlationId, Guid.CreateVersion7(), opened),
            new ForwardingClosed(forwardingId, user, "db01", "postgres", ForwardingKind.Local, "db-1.internal", 5432, opened, 4096, 1048576,
                ForwardingEndReason.ClientClosed, user, "192.0.2.45", correlationId, Guid.CreateVersion7(), opened.AddSeconds(3)),
        ];
        await pipeline.Producer.AppendAsync(events);
        using var client = pipeline.Audit.Analyst();

        var found = await WaitForAsync<List<SessionView>>(client, $"/api/audit/sessions?user={user}", f => f is [{ EndedAt: not null }]);

        var forward = Assert.Single(found);
        Assert.Equal((forwardingId, "db01", "postgres", "db-1.internal:5432"), (forward.Id, forward.Target, forward.Login, forward.ForwardedTo));
        Assert.Equal((4096L, 1048576L, "ClientClosed"), (forward.BytesFromClient, forward.BytesToClient, forward.Outcome));
        Assert.Equal(opened, forward.StartedAt);
    }

    [Fact]
    public async Task Should_download_a_sessions_recording_from_where_the_gateway_filed_it()
    {
        var scenario = await SessionAsync();
        var started = scenario.Events[1].OccurredAt.UtcDateTime;
        var folder = Path.Combine(pipeline.RecordingsDirectory, started.ToString("yyyy"), started.ToString("MM"), started.ToString("dd"));
        Directory.CreateDirectory(folder);
        var cast = "{\"version\": 2, \"width\": 80, \"height\": 24}\n[0.5, \"o\", \"psql> \"]\n";
        await File.WriteAllTextAsync(Path.Combine(folder, $"{scenario.SessionId:D}.cast"), cast);
        using var client = pipeline.Audit.Analyst();
        await WaitForAsync<List<SessionView>>(client, $"/api/audit/sessions?user={scenario.User}", found => found.Count == 1);

        var view = (await client.GetFromJsonAsync<SessionView>($"/api/audit/sessions/{scenario.SessionId}", AuditService.Json))!;
        var response = await client.GetAsync(view.RecordingLink);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/x-asciicast", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal(cast, await response.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/audit/sessions/{Guid.NewGuid()}/recording")).StatusCode);
    }

    [Fact]
    public async Task Should_show_in_a_target_timeline_who_reached_it_and_who_was_refused()
    {
        var scenario = await SessionAsync();
        var intruder = $"mallory-{Guid.NewGuid():N}"[..20];
        var denied = new AccessDenied(intruder, scenario.Target, "root", AccessDenialReason.SourceNotAllowed, "source not allowed", intruder, "203.0.113.66",
            scenario.CorrelationId, Guid.CreateVersion7(), DateTimeOffset.UtcNow);
        await pipeline.Producer.AppendAsync([denied]);
        using var client = pipeline.Audit.Analyst();

        var timeline = await WaitForAsync<SocEndpoints.TargetTimeline>(client, $"/api/audit/targets/{scenario.Target}/timeline",
            t => t.History is { Sessions: 1, Denials: 1 });
        Assert.Equal(denied.EventId, timeline.Events[0].Id);
        Assert.Equal([scenario.User, intruder], timeline.History!.Users);
        Assert.Equal("denied: SourceNotAllowed", timeline.History.Recent[0].Outcome);
        var limited = (await client.GetFromJsonAsync<SocEndpoints.TargetTimeline>($"/api/audit/targets/{scenario.Target}/timeline?limit=2", AuditService.Json))!;
        Assert.Equal(2, limited.Events.Count);
    }

    [Fact]
    public async Task Should_find_a_session_by_login_and_page_a_timeline_back_through_every_event_once()
    {
        var scenario = await SessionAsync();
        using var client = pipeline.Audit.Analyst();
        await WaitForAsync<List<SessionView>>(client, $"/api/audit/sessions?user={scenario.User}&login=postgres", found => found.Count == 1);
        Assert.Empty((await client.GetFromJsonAsync<List<SessionView>>($"/api/audit/sessions?user={scenario.User}&login=root", AuditService.Json))!);

        var whole = (await client.GetFromJsonAsync<SocEndpoints.UserTimeline>($"/api/audit/users/{scenario.User}/timeline", AuditService.Json))!;
        Assert.Null(whole.NextCursor);
        Assert.Equal(scenario.Events.Count, whole.Events.Count);
        var paged = new List<Guid>();
        string? cursor = null;
        do
        {
            var page = (await client.GetFromJsonAsync<SocEndpoints.UserTimeline>(
                $"/api/audit/users/{scenario.User}/timeline?limit=2" + (cursor is null ? "" : $"&cursor={cursor}"), AuditService.Json))!;
            Assert.InRange(page.Events.Count, 1, 2);
            paged.AddRange(page.Events.Select(e => e.Id));
            cursor = page.NextCursor;
        }
        while (cursor is not null);

        Assert.Equal(whole.Events.Select(e => e.Id), paged);
        Assert.Equal(scenario.Events.Select(e => e.EventId).Reverse(), paged);
        var refused = await client.GetAsync($"/api/audit/targets/{scenario.Target}/timeline?cursor=not-one");
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("cursor", await refused.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Should_count_decisions_by_outcome_and_denial_reason()
    {
        using var client = pipeline.Audit.Analyst();
        long CountOf(IReadOnlyList<DecisionCount> counts, string id) => counts.FirstOrDefault(c => c.Id == id)?.Count ?? 0;
        var before = (await client.GetFromJsonAsync<List<DecisionCount>>("/api/audit/decisions", AuditService.Json))!;
        var user = $"quinn-{Guid.NewGuid():N}"[..20];
        var correlationId = Guid.NewGuid().ToString();
        await pipeline.Producer.AppendAsync([
            new AccessGranted(user, "web01", "deploy", Guid.NewGuid(), null, false, user, "10.6.0.1", correlationId, Guid.CreateVersion7(), DateTimeOffset.UtcNow),
            new AccessDenied(user, "db01", "root", AccessDenialReason.OutsideTimeWindow, "outside", user, "10.6.0.1", correlationId, Guid.CreateVersion7(), DateTimeOffset.UtcNow),
            new AccessDenied(user, "db02", "root", AccessDenialReason.OutsideTimeWindow, "outside", user, "10.6.0.1", correlationId, Guid.CreateVersion7(), DateTimeOffset.UtcNow),
        ]);

        var after = await WaitForAsync<List<DecisionCount>>(client, "/api/audit/decisions",
            counts => CountOf(counts, nameof(AccessDenialReason.OutsideTimeWindow)) >= CountOf(before, nameof(AccessDenialReason.OutsideTimeWindow)) + 2
                      && CountOf(counts, "Granted") >= CountOf(before, "Granted") + 1);
        Assert.Equal(CountOf(before, nameof(AccessDenialReason.OutsideTimeWindow)) + 2, CountOf(after, nameof(AccessDenialReason.OutsideTimeWindow)));
        Assert.Equal(CountOf(before, "Granted") + 1, CountOf(after, "Granted"));
    }

    [Fact]
    public async Task Should_export_alerts_as_ocsf_detection_findings_that_name_their_triggering_events()
    {
        var user = $"rita-{Guid.NewGuid():N}"[..20];
        var command = new CommandExecuted(Guid.NewGuid(), 1, user, "web01", "root", "mkfs.ext4 /dev/sdb1", CommandCapture.Exec, user, "10.6.0.2",
            Guid.NewGuid().ToString(), Guid.CreateVersion7(), DateTimeOffset.UtcNow);
        var from = DateTimeOffset.UtcNow.AddMinutes(-1);
        await pipeline.Producer.AppendAsync([command]);
        using var client = pipeline.Audit.Analyst();
        var alert = Assert.Single(await WaitForAsync<List<AlertView>>(client, $"/api/audit/alerts?user={user}", a => a.Count > 0));

        var lines = (await client.GetStringAsync($"/api/audit/alerts/export?from={Uri.EscapeDataString(from.ToString("O"))}"))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonNode.Parse(line)!).ToList();
        var finding = Assert.Single(lines, l => l["finding_info"]!["uid"]!.ToString() == alert.Id.ToString());
        Assert.Empty(Ocsf13.Problems(finding.AsObject()));
        Assert.Equal(2004, (int)finding["class_uid"]!);
        Assert.Equal(200401, (int)finding["type_uid"]!);
        Assert.Equal(5, (int)finding["severity_id"]!);
        Assert.Equal("destructive-command", finding["finding_info"]!["analytic"]!["name"]!.ToString());
        Assert.Equal(command.EventId.ToString(), Assert.Single(finding["finding_info"]!["related_events"]!.AsArray())!["uid"]!.ToString());
        Assert.Equal(user, finding["actor"]!["user"]!["name"]!.ToString());

        var earlier = (await client.GetStringAsync($"/api/audit/alerts/export?to={Uri.EscapeDataString(from.ToString("O"))}"));
        Assert.DoesNotContain(alert.Id.ToString(), earlier);
    }

    [Fact]
    public async Task Should_audit_an_export_before_its_first_line_is_sent()
    {
        var reader = $"exporter-{Guid.NewGuid():N}"[..20];
        using var client = pipeline.Audit.As(reader, "soc-analyst");

        // The export asks for this reader's own reads: the read being answered is already in the store when it streams.
        var request = $"/api/audit/export?format=jsonl&type=AuditTrailRead&actor={reader}";
        var lines = (await client.GetStringAsync(request)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var read = JsonNode.Parse(Assert.Single(lines))!;
        Assert.Equal(request, read["data"]!["request"]!.ToString());
        Assert.Equal(reader, read["actor"]!.ToString());
    }

    [Fact]
    public async Task Should_audit_reads_of_the_audit_api_themselves()
    {
        var reader = $"reader-{Guid.NewGuid():N}"[..20];
        using var client = pipeline.Audit.As(reader, "soc-analyst");
        await client.GetAsync("/api/audit/events?actor=nobody-at-all");

        using var analyst = pipeline.Audit.Analyst();
        var reads = (await analyst.GetFromJsonAsync<QueryAuditEvents.Page>($"/api/audit/events?type=AuditTrailRead&actor={reader}", AuditService.Json))!;
        var read = Assert.Single(reads.Events);
        Assert.Equal("/api/audit/events?actor=nobody-at-all", read.Data.GetProperty("request").GetString());
    }

    [Theory]
    [InlineData("/api/audit/events?source=not-an-ip", "source")]
    [InlineData("/api/audit/events?q=ab", "q")]
    [InlineData("/api/audit/sessions?limit=0", "limit")]
    [InlineData("/api/audit/sessions?command=x", "command")]
    [InlineData("/api/audit/users/olga/timeline?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z", "from")]
    [InlineData("/api/audit/export?format=xml", "format")]
    [InlineData("/api/audit/alerts?severity=urgent", "severity")]
    [InlineData("/api/audit/alerts?limit=501", "limit")]
    [InlineData("/api/audit/sessions?source=somewhere", "source")]
    [InlineData("/api/audit/sessions?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z", "from")]
    [InlineData("/api/audit/targets/db01/timeline?limit=1001", "limit")]
    [InlineData("/api/audit/export?format=ocsf&type=NoSuchEvent", "type")]
    [InlineData("/api/audit/export?format=jsonl&source=nowhere", "source")]
    [InlineData("/api/audit/alerts/export?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z", "from")]
    public async Task A_bad_query_gets_a_400_naming_what_is_wrong(string request, string field)
    {
        using var client = pipeline.Audit.Analyst();
        var response = await client.GetAsync(request);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(field, (await response.Content.ReadFromJsonAsync<ValidationProblemDetails>())!.Errors.Keys);
    }

    [Fact]
    public async Task Should_describe_the_soc_api_in_the_openapi_document()
    {
        using var client = pipeline.Audit.CreateClient();
        var document = JsonNode.Parse(await client.GetStringAsync("/openapi/v1.json"))!;
        var paths = document["paths"]!.AsObject().Select(p => p.Key).ToList();
        string[] soc =
        [
            "/api/audit/events", "/api/audit/sessions", "/api/audit/sessions/{id}", "/api/audit/sessions/{id}/recording",
            "/api/audit/users/{user}/timeline", "/api/audit/targets/{target}/timeline", "/api/audit/decisions", "/api/audit/export",
            "/api/audit/alerts", "/api/audit/alerts/{id}", "/api/audit/alerts/{id}/acknowledge", "/api/audit/alerts/{id}/resolve",
            "/api/audit/alerts/export", "/api/audit/integrity/verify", "/api/audit/integrity/public-key",
        ];
        Assert.Empty(soc.Except(paths));
        var filters = document["paths"]!["/api/audit/events"]!["get"]!["parameters"]!.AsArray().Select(p => p!["name"]!.ToString());
        Assert.Empty(new[] { "actor", "user", "target", "type", "source", "from", "to", "correlationId", "q", "cursor", "limit" }.Except(filters));
        var exportFilters = document["paths"]!["/api/audit/export"]!["get"]!["parameters"]!.AsArray().Select(p => p!["name"]!.ToString());
        Assert.Empty(new[] { "format", "actor", "user", "target", "type", "source", "from", "to", "correlationId", "q" }.Except(exportFilters));
    }
}
