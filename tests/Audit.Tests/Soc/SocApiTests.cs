using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Gatehouse.Audit.AuditTrail;
using Gatehouse.Audit.Querying;
using Gatehouse.Audit.Soc;
using Gatehouse.Audit.Soc.Sessions;
using Gatehouse.Audit.Tests.EventPipeline;
using Gatehouse.Contracts;
using Microsoft.AspNetCore.Mvc;

namespace Gatehouse.Audit.Tests.Soc;

[Collection(PipelineCollection.Name)]
public sealed class SocApiTests(PipelineFixture pipeline)
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
            new SessionStarted(sessionId, user, target, target + ":22", "postgres", SessionKind.Shell, user, "192.0.2.44", correlationId, Guid.CreateVersion7(), start.AddSeconds(1)),
            new CommandExecuted(sessionId, 1, user, target, "postgres", "psql -c 'select 1'", CommandCapture.Exec, user, "192.0.2.44", correlationId, Guid.CreateVersion7(), start.AddSeconds(2)),
            new CommandExecuted(sessionId, 2, user, target, "postgres", "vacuum-all --force", CommandCapture.Exec, user, "192.0.2.44", correlationId, Guid.CreateVersion7(), start.AddSeconds(3)),
            new SessionEnded(sessionId, user, target, "postgres", start.AddSeconds(1), 1200, 56000, 0, "client-closed", "ab12", user, "192.0.2.44", correlationId, Guid.CreateVersion7(), start.AddSeconds(4)),
        ];
        await pipeline.Producer.AppendAsync(events);
        await pipeline.WaitForEventsAsync(correlationId, events.Length);
        return new Scenario(user, target, sessionId, correlationId, events);
    }

    [Fact]
    public async Task A_session_is_found_by_user_target_and_command_with_its_commands_bytes_and_outcome()
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

        Assert.Single((await client.GetFromJsonAsync<List<SessionView>>($"/api/audit/sessions?target={scenario.Target}&command=vacuum-all", AuditService.Json))!);
        Assert.Empty((await client.GetFromJsonAsync<List<SessionView>>($"/api/audit/sessions?target={scenario.Target}&command=rm%20-rf", AuditService.Json))!);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/audit/sessions/{scenario.SessionId}/recording")).StatusCode);
    }

    [Fact]
    public async Task Events_are_filtered_by_target_source_and_free_text()
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
    public async Task A_user_timeline_holds_their_events_newest_first_and_their_login_history_follows()
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
        var target = (await client.GetFromJsonAsync<SocEndpoints.TargetTimeline>($"/api/audit/targets/{scenario.Target}/timeline", AuditService.Json))!;
        Assert.Equal(4, target.Events.Count);
    }

    [Fact]
    public async Task Export_gives_json_lines_and_ocsf_classes_for_logins_sessions_and_commands()
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
        Assert.Equal(400701, (int)ocsf[1]["type_uid"]!);
        Assert.Equal("vacuum-all --force", ocsf[3]["process"]!["cmd_line"]!.ToString());
        Assert.Equal(scenario.Events[0].EventId.ToString(), ocsf[0]["metadata"]!["uid"]!.ToString());
    }

    [Fact]
    public async Task Reads_of_the_audit_api_are_themselves_audited()
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
    public async Task A_bad_query_gets_a_400_naming_what_is_wrong(string request, string field)
    {
        using var client = pipeline.Audit.Analyst();
        var response = await client.GetAsync(request);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(field, (await response.Content.ReadFromJsonAsync<ValidationProblemDetails>())!.Errors.Keys);
    }

    [Fact]
    public async Task The_openapi_document_describes_the_soc_api()
    {
        using var client = pipeline.Audit.CreateClient();
        var document = JsonNode.Parse(await client.GetStringAsync("/openapi/v1.json"))!;
        var paths = document["paths"]!.AsObject().Select(p => p.Key).ToList();
        Assert.Contains("/api/audit/events", paths);
        Assert.Contains("/api/audit/alerts/{id}/acknowledge", paths);
        Assert.Contains("/api/audit/integrity/verify", paths);
    }
}
