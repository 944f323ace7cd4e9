using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Gatehouse.Audit.AuditTrail;
using Gatehouse.Audit.Querying;
using Gatehouse.Audit.Tests.Integrity;
using Gatehouse.Contracts;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Gatehouse.Audit.Tests.Querying;

/// <summary>
/// <c>user=</c> finds the events about a user whoever acted: access decided by the authorization service, a grant an
/// admin issued to them, their own failed login; <c>actor=</c> finds only what they did themselves.
/// </summary>
public sealed class When_an_analyst_searches_by_the_user_an_event_is_about
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;

    private readonly string _alice = $"alice-{Guid.NewGuid():N}"[..20];
    private readonly string _correlationId = Guid.NewGuid().ToString();

    private IAccessEvent[] AboutAlice() =>
    [
        new AccessGranted(_alice, "web01", "deploy", Guid.NewGuid(), null, false, "authorization", "10.0.0.5", _correlationId, Guid.CreateVersion7(), Now),
        new AccessDenied(_alice, "db01", "postgres", AccessDenialReason.NoMatchingGrant, "no grant", "authorization", "10.0.0.5", _correlationId,
            Guid.CreateVersion7(), Now),
        new GrantIssued(Guid.NewGuid(), GrantSubjectKind.User, _alice, ["web01"], new Dictionary<string, string>(), ["deploy"], [], null, [], null,
            false, true, null, "root-admin", "10.0.0.9", _correlationId, Guid.CreateVersion7(), Now),
        new LoginFailed(_alice, "publickey", LoginFailureReason.UnknownKey, null, _alice, "10.0.0.5", _correlationId, Guid.CreateVersion7(), Now),
    ];

    private IAccessEvent[] NotAboutAlice() =>
    [
        new AccessGranted("bob", "web01", "deploy", Guid.NewGuid(), null, false, "authorization", "10.0.0.6", _correlationId, Guid.CreateVersion7(), Now),
        new GrantIssued(Guid.NewGuid(), GrantSubjectKind.Role, _alice, ["web01"], new Dictionary<string, string>(), ["deploy"], [], null, [], null,
            false, true, null, "root-admin", "10.0.0.9", _correlationId, Guid.CreateVersion7(), Now),
    ];

    [Fact]
    public async Task Should_find_every_event_about_the_user_in_search_and_export()
    {
        await using var store = new SealedStore();
        var about = AboutAlice();
        await store.Audit.RecordAsync([.. about, .. NotAboutAlice()]);
        using var client = store.Audit.Analyst();

        var found = await client.GetFromJsonAsync<QueryAuditEvents.Page>($"/api/audit/events?user={_alice}", AuditService.Json);
        var exported = (await client.GetStringAsync($"/api/audit/export?format=jsonl&user={_alice}")).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var byActor = await client.GetFromJsonAsync<QueryAuditEvents.Page>($"/api/audit/events?actor={_alice}", AuditService.Json);

        Assert.Equal(about.Select(e => e.EventId).Order(), found!.Events.Select(e => e.Id).Order());
        Assert.All(found.Events, e => Assert.Equal(_alice, e.UserName));
        Assert.Equal(about.Select(e => e.EventId).Order(), exported.Select(line => Guid.Parse(JsonNode.Parse(line)!["id"]!.ToString())).Order());
        Assert.Equal(nameof(LoginFailed), Assert.Single(byActor!.Events).Type);
    }

    [Fact]
    public async Task Should_find_the_users_grants_and_reads_stored_before_events_named_their_subject()
    {
        await using var store = new SealedStore();
        var grant = AboutAlice()[2];
        var read = new AuditTrailRead(_alice, "/api/audit/events", 200, _alice, "10.0.0.5", _correlationId, Guid.CreateVersion7(), Now);
        await store.Audit.RecordAsync([grant, read]);
        // As the previous version stored them: no user, since neither event has a "userName".
        await store.AsAdministratorAsync("UPDATE {schema}.mt_doc_auditentry SET user_name = NULL, data = data - 'UserName' WHERE id = ANY($1)",
            new[] { grant.EventId, read.EventId });
        using var client = store.Audit.Analyst();
        Assert.Empty((await client.GetFromJsonAsync<QueryAuditEvents.Page>($"/api/audit/events?user={_alice}", AuditService.Json))!.Events);

        await store.Audit.Services.GetServices<IHostedService>().OfType<EventSubjectUpgrade>().Single().StartAsync(CancellationToken.None);

        var found = await client.GetFromJsonAsync<QueryAuditEvents.Page>($"/api/audit/events?user={_alice}", AuditService.Json);
        Assert.Equal(new[] { grant.EventId, read.EventId }.Order(), found!.Events.Select(e => e.Id).Order());
        Assert.All(found.Events, e => Assert.Equal(_alice, e.UserName));
    }

    [Fact]
    public async Task Should_search_and_export_by_user_with_the_cli()
    {
        await using var store = new SealedStore(onRealPort: true);
        var about = AboutAlice();
        await store.Audit.RecordAsync([.. about, .. NotAboutAlice()]);
        var file = Path.Combine(Path.GetTempPath(), $"gatehouse-export-{Guid.NewGuid():N}.jsonl");

        var searched = await GatehouseCli.RunAsync(store.Audit, "audit", "events", "--user", _alice, "--type", nameof(AccessGranted));
        var exported = await GatehouseCli.RunAsync(store.Audit, "audit", "export", "--user", _alice, "--output", file);

        Assert.Equal(0, searched.Exit);
        Assert.Equal(about[0].EventId, Guid.Parse(Assert.Single(JsonNode.Parse(searched.Out)!["events"]!.AsArray())!["id"]!.ToString()));
        Assert.Equal(0, exported.Exit);
        var lines = await File.ReadAllLinesAsync(file);
        File.Delete(file);
        Assert.Equal(about.Select(e => e.EventId).Order(), lines.Select(line => Guid.Parse(JsonNode.Parse(line)!["id"]!.ToString())).Order());
    }
}
