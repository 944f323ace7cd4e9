using Gatehouse.Audit.Integrity;
using Gatehouse.Audit.Tests.EventPipeline;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Gatehouse.Audit.Tests.Integrity;

/// <summary>Each scenario has a store of its own, so one tampering never shows up in another's report.</summary>
[Collection(AnAuditStoreFedByAProducerCollection.Name)]
public sealed class When_an_analyst_verifies_the_audit_chain
{
    [Fact]
    public async Task Should_report_every_event_sealed_and_intact_when_nothing_was_touched()
    {
        await using var store = new SealedStore();
        var events = await store.RecordAsync(30);

        var report = await store.VerifyWhenSealedAsync();

        Assert.True(report.Intact, string.Join("; ", report.Problems.Select(p => p.Detail)));
        // The verify calls are themselves audited, so a few reads are sealed too.
        Assert.True(report.EventsChecked >= events.Count);
        Assert.Equal(0, report.UnsealedEvents);
    }

    [Fact]
    public async Task Should_seal_at_most_as_many_events_as_a_digest_holds_when_more_arrive_at_once()
    {
        await using var store = new SealedStore(settings: new Dictionary<string, string?>
        {
            ["Gatehouse:Audit:Integrity:MaxEventsPerDigest"] = "7",
        });
        var events = await store.RecordTogetherAsync(50);

        var report = await store.VerifyWhenSealedAsync();

        Assert.True(report.Intact, string.Join("; ", report.Problems.Select(p => p.Detail)));
        Assert.Equal(0, report.UnsealedEvents);
        var digests = await store.DigestsAsync();
        Assert.All(digests, d => Assert.InRange(d.Events.Count, 1, 7));
        Assert.Superset(events.Select(e => e.EventId).ToHashSet(), digests.SelectMany(d => d.Events).Select(e => e.EventId).ToHashSet());
    }

    [Theory]
    [InlineData("0")]
    [InlineData("10001")]
    public void A_digest_size_the_sealer_cannot_use_is_refused_naming_its_key(string maxEventsPerDigest)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Gatehouse:Audit:Integrity:MaxEventsPerDigest"] = maxEventsPerDigest })
            .Build();
        using var services = new ServiceCollection().AddAuditSettings(configuration).BuildServiceProvider();

        var refused = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<AuditSettings>>().Value);
        Assert.Contains("Gatehouse:Audit:Integrity:MaxEventsPerDigest", refused.Message);
    }

    [Fact]
    public async Task Should_name_a_stored_event_that_was_changed()
    {
        await using var store = new SealedStore();
        var events = await store.RecordAsync(10);
        Assert.True((await store.VerifyWhenSealedAsync()).Intact);

        var victim = events[4].EventId;
        await store.AsAdministratorAsync("UPDATE {schema}.mt_events SET data = jsonb_set(data, '{actor}', '\"someone-else\"') WHERE id = $1", victim);

        var report = await store.VerifyAsync();
        Assert.False(report.Intact);
        var problem = Assert.Single(report.Problems);
        Assert.Equal(IntegrityProblemKind.EventChanged, problem.Kind);
        Assert.Equal(victim, problem.EventId);
    }

    [Fact]
    public async Task Should_record_each_run_with_what_it_found_and_serve_the_last_one()
    {
        await using var store = new SealedStore();
        var events = await store.RecordAsync(5);
        using var client = store.Audit.Analyst();
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await client.GetAsync("/api/audit/integrity/last")).StatusCode);
        Assert.True((await store.VerifyWhenSealedAsync()).Intact);
        var intact = await LastAsync(client);
        Assert.Equal(nameof(Gatehouse.Contracts.AuditChainVerified), intact.Type);
        Assert.True(intact.Data.GetProperty("intact").GetBoolean());
        Assert.Equal(intact.Actor, intact.Data.GetProperty("verifier").GetString());

        await store.AsAdministratorAsync("UPDATE {schema}.mt_events SET data = jsonb_set(data, '{actor}', '\"someone-else\"') WHERE id = $1", events[2].EventId);
        Assert.False((await store.VerifyAsync()).Intact);
        var broken = await LastAsync(client);
        Assert.False(broken.Data.GetProperty("intact").GetBoolean());
        Assert.Equal(1, broken.Data.GetProperty("problemCount").GetInt32());
        Assert.Contains(events[2].EventId.ToString(), broken.Data.GetProperty("problems")[0].GetString());
        Assert.True(broken.Sequence > intact.Sequence);
    }

    private static async Task<Gatehouse.Audit.AuditTrail.AuditEntry> LastAsync(HttpClient client) =>
        (await System.Net.Http.Json.HttpClientJsonExtensions.GetFromJsonAsync<Gatehouse.Audit.AuditTrail.AuditEntry>(client, "/api/audit/integrity/last",
            AuditService.Json))!;

    [Fact]
    public async Task Should_name_both_an_event_that_was_changed_and_its_digest_rewritten_to_match()
    {
        await using var store = new SealedStore();
        var events = await store.RecordAsync(10);
        Assert.True((await store.VerifyWhenSealedAsync()).Intact);

        // Covering the change up in the digest breaks the digest's own hash and signature instead.
        var victim = events[0].EventId;
        await store.AsAdministratorAsync("UPDATE {schema}.mt_events SET data = jsonb_set(data, '{actor}', '\"someone-else\"') WHERE id = $1", victim);
        await store.AsAdministratorAsync("""
            UPDATE {schema}.mt_events SET data = jsonb_set(data, ARRAY['Events',
                (SELECT (i - 1)::text FROM jsonb_array_elements(data -> 'Events') WITH ORDINALITY AS e(v, i) WHERE v ->> 'EventId' = $1), 'Hash'],
                to_jsonb(repeat('0', 64)))
            WHERE type = 'digest_sealed' AND data -> 'Events' @> jsonb_build_array(jsonb_build_object('EventId', $1::text))
            """, victim.ToString());

        var report = await store.VerifyAsync();
        Assert.False(report.Intact);
        var changed = Assert.Single(report.Problems, p => p.Kind == IntegrityProblemKind.EventChanged);
        Assert.Equal(victim, changed.EventId);
        Assert.Contains(report.Problems, p => p.Kind == IntegrityProblemKind.DigestAltered && p.DigestNumber == changed.DigestNumber);
    }

    [Fact]
    public async Task Should_name_a_stored_event_that_was_deleted()
    {
        await using var store = new SealedStore();
        var events = await store.RecordAsync(10);
        Assert.True((await store.VerifyWhenSealedAsync()).Intact);

        var victim = events[7].EventId;
        await store.AsAdministratorAsync("DELETE FROM {schema}.mt_events WHERE id = $1", victim);

        var report = await store.VerifyAsync();
        var problem = Assert.Single(report.Problems);
        Assert.Equal(IntegrityProblemKind.EventMissing, problem.Kind);
        Assert.Equal(victim, problem.EventId);
    }

    [Fact]
    public async Task Should_name_both_of_two_stored_events_that_swapped_places()
    {
        await using var store = new SealedStore();
        var events = await store.RecordAsync(10);
        Assert.True((await store.VerifyWhenSealedAsync()).Intact);

        await store.AsAdministratorAsync("UPDATE {schema}.mt_events SET seq_id = -seq_id WHERE id IN ($1, $2)", events[2].EventId, events[3].EventId);
        await store.AsAdministratorAsync("""
            UPDATE {schema}.mt_events SET seq_id = CASE WHEN id = $1
                THEN -(SELECT seq_id FROM {schema}.mt_events WHERE id = $2)
                ELSE -(SELECT seq_id FROM {schema}.mt_events WHERE id = $1) END
            WHERE id IN ($1, $2)
            """, events[2].EventId, events[3].EventId);

        var report = await store.VerifyAsync();
        Assert.False(report.Intact);
        Assert.Contains(report.Problems, p => p.Kind == IntegrityProblemKind.EventReordered && p.EventId == events[2].EventId);
        Assert.Contains(report.Problems, p => p.Kind == IntegrityProblemKind.EventReordered && p.EventId == events[3].EventId);
    }

    [Theory]
    [InlineData("UPDATE {schema}.mt_events SET data = '{}'")]
    [InlineData("DELETE FROM {schema}.mt_events")]
    [InlineData("TRUNCATE {schema}.mt_events CASCADE")]
    [InlineData("DROP TABLE {schema}.mt_events CASCADE")]
    [InlineData("DELETE FROM {schema}.mt_streams")]
    [InlineData("GRANT UPDATE, DELETE ON {schema}.mt_events TO gatehouse_audit; DELETE FROM {schema}.mt_events")]
    [InlineData("ALTER TABLE {schema}.mt_events DISABLE TRIGGER ALL")]
    public async Task The_audit_services_own_database_role_cannot_change_or_delete_stored_events(string sql)
    {
        await using var store = new SealedStore();
        await store.RecordAsync(3);

        var refused = await Assert.ThrowsAsync<PostgresException>(() => store.AsAuditServiceAsync(sql));
        Assert.Contains(refused.SqlState, new[] { PostgresErrorCodes.InsufficientPrivilege, "42501" });
    }
}
