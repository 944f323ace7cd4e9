using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Http.Json;
using Gatehouse.Audit.Alerts;
using Gatehouse.Audit.Detection;
using Gatehouse.Audit.Tests.EventPipeline;
using Gatehouse.Contracts;
using Gatehouse.Contracts.Alerts;
using Gatehouse.TestSupport;
using MassTransit;
using Microsoft.Extensions.Logging;

namespace Gatehouse.Audit.Tests.Alerts;

/// <summary>Events appended in a producing service, through the bus, into the audit store, through the rules, to alerts and pages.</summary>
[Collection(AnAuditStoreFedByAProducerCollection.Name)]
public sealed class When_events_raise_alerts(AnAuditStoreFedByAProducer pipeline)
{
    private static string NewUser(string name) => $"{name}-{Guid.NewGuid():N}"[..24];

    private static LoginFailed Failed(string user, string source, string correlationId) =>
        new(user, "password", LoginFailureReason.WrongPassword, null, user, source, correlationId, Guid.CreateVersion7(), DateTimeOffset.UtcNow);

    private static CommandExecuted Command(string user, string line) =>
        new(Guid.NewGuid(), 1, user, "web01", "root", line, CommandCapture.Exec, user, "10.9.9.9", Guid.NewGuid().ToString(), Guid.CreateVersion7(), DateTimeOffset.UtcNow);

    private async Task<IReadOnlyList<AlertView>> AlertsAsync(string query)
    {
        using var client = pipeline.Audit.Analyst();
        return (await client.GetFromJsonAsync<IReadOnlyList<AlertView>>($"/api/audit/alerts?{query}", AuditService.Json))!;
    }

    private async Task<IReadOnlyList<AlertView>> WaitForAlertsAsync(string query, int count = 1)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var alerts = await AlertsAsync(query);
            if (alerts.Count >= count || DateTime.UtcNow > deadline)
            {
                return alerts;
            }

            await Task.Delay(200);
        }
    }

    /// <summary>The one page of the user's one alert, once the paging has recorded it (delivered or given up).</summary>
    private async Task<PageOutcome> TheOnePageAsync(string user)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline && (await AlertsAsync($"user={user}")).Single().Pages.Count == 0)
        {
            await Task.Delay(200);
        }

        return Assert.Single((await AlertsAsync($"user={user}")).Single().Pages);
    }

    /// <summary>Appends a command that always fires and waits for its alert: every event stored before it has then been through the rules.</summary>
    private async Task DrainAsync()
    {
        var sentinel = NewUser("sentinel");
        await pipeline.Producer.AppendAsync([Command(sentinel, "history -c")]);
        Assert.Single(await WaitForAlertsAsync($"user={sentinel}"));
    }

    [Fact]
    public async Task Should_raise_one_brute_force_alert_carrying_five_failed_logins_for_one_user_and_none_for_four()
    {
        var attacked = NewUser("alice");
        var nearMiss = NewUser("bob");
        var correlationId = Guid.NewGuid().ToString();
        var failures = Enumerable.Range(0, 5).Select(_ => Failed(attacked, "10.1.1.1", correlationId)).ToList();
        await pipeline.Producer.AppendAsync(failures);
        await pipeline.Producer.AppendAsync(Enumerable.Range(0, 4).Select(_ => Failed(nearMiss, "10.1.1.2", correlationId)));

        var alert = Assert.Single(await WaitForAlertsAsync($"user={attacked}&rule={DetectionRules.BruteForce}"));
        Assert.Equal(failures.Select(f => f.EventId).Order(), alert.TriggeringEventIds.Order());
        Assert.Equal(AlertStatus.Open, alert.Status);

        // Stored before the sentinel is appended, so judged before it.
        await pipeline.WaitForEventsAsync(correlationId, 9);
        await DrainAsync();
        Assert.Empty(await AlertsAsync($"user={nearMiss}"));
    }

    [Fact]
    public async Task Should_publish_a_raised_alert_on_the_bus_to_any_subscriber_with_its_event_id_as_message_id()
    {
        var user = NewUser("hugo");
        var received = new TaskCompletionSource<ConsumeContext<AlertRaised>>(TaskCreationOptions.RunContinuationsAsynchronously);
        // An outside system binding its own queue to the AlertRaised exchange.
        var subscriber = await TestBus.StartAsync(endpoint => endpoint.Handler<AlertRaised>(context =>
        {
            if (context.Message.UserName == user)
            {
                received.TrySetResult(context);
            }

            return Task.CompletedTask;
        }));
        try
        {
            var command = Command(user, "wipefs -a /dev/sdb");
            await pipeline.Producer.AppendAsync([command]);
            var published = await received.Task.WaitAsync(TimeSpan.FromSeconds(60));
            var stored = Assert.Single(await WaitForAlertsAsync($"user={user}"));

            Assert.Equal(stored.Id, published.Message.AlertId);
            Assert.Equal(published.Message.EventId, published.MessageId);
            Assert.Equal(DetectionRules.DestructiveCommand, published.Message.Rule);
            Assert.Equal([command.EventId], published.Message.TriggeringEventIds);
        }
        finally
        {
            await subscriber.StopAsync();
        }
    }

    [Fact]
    public async Task Should_raise_no_second_alert_for_the_same_finding_again_within_the_suppression_window()
    {
        var user = NewUser("ines");
        var first = Command(user, "history -c");
        await pipeline.Producer.AppendAsync([first]);
        Assert.Single(await WaitForAlertsAsync($"user={user}"));

        // The same command in the same session a minute later has the same deduplication key.
        await pipeline.Producer.AppendAsync([first with { EventId = Guid.CreateVersion7(), Sequence = 2, OccurredAt = first.OccurredAt.AddMinutes(1) }]);
        await pipeline.WaitForEventsAsync(first.CorrelationId, 2);
        await DrainAsync();
        var alert = Assert.Single(await AlertsAsync($"user={user}"));
        Assert.Equal([first.EventId], alert.TriggeringEventIds);
    }

    [Fact]
    public async Task Should_raise_no_second_alert_for_the_same_events_delivered_again()
    {
        var user = NewUser("carol");
        var correlationId = Guid.NewGuid().ToString();
        var failures = Enumerable.Range(0, 5).Select(_ => Failed(user, "10.1.1.3", correlationId)).ToList();
        await pipeline.Producer.AppendAsync(failures);
        Assert.Single(await WaitForAlertsAsync($"user={user}"));

        foreach (var failure in failures)
        {
            await pipeline.Producer.Bus.Publish(failure, context => context.MessageId = failure.EventId);
        }

        await DrainAsync();
        Assert.Single(await AlertsAsync($"user={user}"));
    }

    [Fact]
    public async Task Should_raise_each_alert_once_with_two_audit_instances()
    {
        await using var second = pipeline.StartAnotherAudit();
        var users = Enumerable.Range(0, 3).Select(_ => NewUser("dave")).ToList();
        foreach (var user in users)
        {
            await pipeline.Producer.AppendAsync(Enumerable.Range(0, 5).Select(_ => Failed(user, "10.1.1.4", Guid.NewGuid().ToString())));
        }

        foreach (var user in users)
        {
            Assert.Single(await WaitForAlertsAsync($"user={user}&rule={DetectionRules.BruteForce}"));
        }

        await DrainAsync();
        foreach (var user in users)
        {
            var alert = Assert.Single(await AlertsAsync($"user={user}&rule={DetectionRules.BruteForce}"));
            // Both instances consume the paging queue: the page still goes out once, after the receiver's two refusals.
            var page = await TheOnePageAsync(user);
            Assert.True(page.Delivered);
            Assert.Single(pipeline.Webhooks.Received, r => r.Path == "generic" && r.Body["alertId"]!.ToString() == alert.Id.ToString());
            Assert.Equal(3, pipeline.Webhooks.AttemptsFor("generic", alert.Id.ToString()));
        }
    }

    [Fact]
    public async Task Should_page_a_critical_alert_to_both_webhooks_after_their_first_attempts_fail_and_record_the_outcome()
    {
        var user = NewUser("erin");
        await pipeline.Producer.AppendAsync([Command(user, "rm -rf /")]);
        var alert = Assert.Single(await WaitForAlertsAsync($"user={user}"));
        Assert.Equal(AlertSeverity.Critical, alert.Severity);

        var deadline = DateTime.UtcNow.AddSeconds(30);
        AlertView? paged = null;
        while (DateTime.UtcNow < deadline && paged?.Pages.Count is null or < 2)
        {
            await Task.Delay(200);
            paged = (await AlertsAsync($"user={user}")).Single();
        }

        Assert.NotNull(paged);
        Assert.All(paged.Pages, page => Assert.True(page.Delivered));
        Assert.All(paged.Pages, page => Assert.Equal(3, page.Attempts));
        var generic = Assert.Single(pipeline.Webhooks.Received, r => r.Path == "generic" && r.Body["alertId"]!.ToString() == alert.Id.ToString());
        Assert.Equal("destructive-command", generic.Body["rule"]!.ToString());
        var pagerDuty = Assert.Single(pipeline.Webhooks.Received, r => r.Path == "pagerduty" && r.Body["dedup_key"]!.ToString() == alert.DeduplicationKey);
        Assert.Equal("trigger", pagerDuty.Body["event_action"]!.ToString());
        Assert.Equal("critical", pagerDuty.Body["payload"]!["severity"]!.ToString());
        Assert.Equal("test-routing-key", pagerDuty.Body["routing_key"]!.ToString());
    }

    [Fact]
    public async Task Should_not_page_a_high_alert_to_the_webhook_for_critical_ones()
    {
        var user = NewUser("frank");
        await pipeline.Producer.AppendAsync([Command(user, "sudo -i")]);
        var alert = Assert.Single(await WaitForAlertsAsync($"user={user}"));
        var page = await TheOnePageAsync(user);
        Assert.Equal("soc-generic", page.Webhook);
        Assert.Equal(0, pipeline.Webhooks.AttemptsFor("pagerduty", alert.DeduplicationKey));
    }

    [Fact]
    public async Task Should_give_up_a_page_the_webhook_keeps_refusing_after_every_retry_recorded_as_failed_logged_and_counted()
    {
        var failedPages = 0L;
        var failedAttempts = 0L;
        using var metrics = new MeterListener();
        metrics.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == AuditTelemetry.MeterName)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        metrics.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            if (!tags.ToArray().Contains(new KeyValuePair<string, object?>("webhook", "soc-generic")))
            {
                return;
            }

            if (instrument.Name == "gatehouse.audit.pages_failed")
            {
                Interlocked.Add(ref failedPages, value);
            }
            else if (instrument.Name == "gatehouse.audit.page_attempts_failed")
            {
                Interlocked.Add(ref failedAttempts, value);
            }
        });
        metrics.Start();

        var user = NewUser(AnAuditStoreFedByAProducer.UnpagedUsers);
        await pipeline.Producer.AppendAsync([Command(user, "sudo -i")]);
        var alert = Assert.Single(await WaitForAlertsAsync($"user={user}"));
        var page = await TheOnePageAsync(user);
        Assert.Equal("soc-generic", page.Webhook);
        Assert.False(page.Delivered);
        Assert.Equal(5, page.Attempts);
        Assert.Equal(503, page.StatusCode);
        Assert.Equal("HTTP 503", page.Error);
        Assert.Equal(5, pipeline.Webhooks.AttemptsFor("generic", alert.Id.ToString()));
        Assert.DoesNotContain(pipeline.Webhooks.Received, r => r.Body["alertId"]?.ToString() == alert.Id.ToString());

        Assert.Equal(5, pipeline.Logs.Entries.Count(e => e.Level == LogLevel.Warning && e.Message.Contains($"Paging alert {alert.Id} to webhook soc-generic failed")));
        Assert.Single(pipeline.Logs.Entries, e => e.Level == LogLevel.Error && e.Message.Contains($"Gave up paging alert {alert.Id} to webhook soc-generic after 5 attempts"));
        Assert.True(Interlocked.Read(ref failedPages) >= 1, "the given-up page was not counted");
        Assert.True(Interlocked.Read(ref failedAttempts) >= 5, $"{failedAttempts} failed attempts counted, expected at least 5");
    }

    [Fact]
    public async Task Should_let_an_analyst_acknowledge_then_resolve_an_alert_and_not_resolve_it_twice()
    {
        var user = NewUser("gina");
        await pipeline.Producer.AppendAsync([Command(user, "unset HISTFILE")]);
        var alert = Assert.Single(await WaitForAlertsAsync($"user={user}"));
        using var client = pipeline.Audit.Analyst();

        var acknowledged = await client.PostAsJsonAsync($"/api/audit/alerts/{alert.Id}/acknowledge", new { note = "looking" });
        Assert.Equal(HttpStatusCode.OK, acknowledged.StatusCode);
        var resolved = await client.PostAsJsonAsync($"/api/audit/alerts/{alert.Id}/resolve", new { note = "maintenance, approved in CHG-42" });
        Assert.True(resolved.IsSuccessStatusCode, $"{(int)resolved.StatusCode}: {await resolved.Content.ReadAsStringAsync()}");
        var view = (await resolved.Content.ReadFromJsonAsync<AlertView>(AuditService.Json))!;
        Assert.Equal(AlertStatus.Resolved, view.Status);
        Assert.Equal("sam-analyst", view.ResolvedBy);

        Assert.Equal(alert.Id, Assert.Single(await AlertsAsync($"user={user}&status=resolved&severity=high")).Id);
        Assert.Empty(await AlertsAsync($"user={user}&status=open"));
        Assert.Empty(await AlertsAsync($"user={user}&severity=low"));
        var shown = (await client.GetFromJsonAsync<AlertView>($"/api/audit/alerts/{alert.Id}", AuditService.Json))!;
        Assert.Equal(("sam-analyst", "maintenance, approved in CHG-42"), (shown.AcknowledgedBy, shown.Resolution));

        Assert.Equal(HttpStatusCode.Conflict, (await client.PostAsJsonAsync($"/api/audit/alerts/{alert.Id}/resolve", new { note = "again" })).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await client.PostAsJsonAsync($"/api/audit/alerts/{alert.Id}/acknowledge", new { note = "late" })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsJsonAsync($"/api/audit/alerts/{alert.Id}/acknowledge", new { note = "" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.PostAsJsonAsync($"/api/audit/alerts/{Guid.NewGuid()}/resolve", new { note = "x" })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync("/api/audit/alerts?status=sleeping")).StatusCode);
    }

    [Fact]
    public async Task Should_give_two_analysts_acknowledging_one_alert_at_once_one_acknowledgement_and_one_conflict()
    {
        var user = NewUser("jack");
        await pipeline.Producer.AppendAsync([Command(user, "auditctl -D")]);
        var alert = Assert.Single(await WaitForAlertsAsync($"user={user}"));
        using var first = pipeline.Audit.As("sam-analyst", "soc-analyst");
        using var second = pipeline.Audit.As("kim-analyst", "soc-analyst");

        var answers = await Task.WhenAll(
            first.PostAsJsonAsync($"/api/audit/alerts/{alert.Id}/acknowledge", new { note = "mine" }),
            second.PostAsJsonAsync($"/api/audit/alerts/{alert.Id}/acknowledge", new { note = "no, mine" }));

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.Conflict], answers.Select(a => a.StatusCode).Order());
        var acknowledged = Assert.Single(await AlertsAsync($"user={user}"));
        Assert.Equal(AlertStatus.Acknowledged, acknowledged.Status);
        Assert.Contains(acknowledged.AcknowledgedBy, new[] { "sam-analyst", "kim-analyst" });
    }

    [Fact]
    public async Task Should_refuse_anonymous_callers_and_roles_other_than_soc_analyst_and_admin_on_the_soc_api()
    {
        using var anonymous = pipeline.Audit.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/audit/alerts")).StatusCode);
        using var approver = pipeline.Audit.As("pat", "approver");
        Assert.Equal(HttpStatusCode.Forbidden, (await approver.GetAsync("/api/audit/events")).StatusCode);
        using var admin = pipeline.Audit.As("root", "admin");
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/api/audit/alerts")).StatusCode);
    }
}
