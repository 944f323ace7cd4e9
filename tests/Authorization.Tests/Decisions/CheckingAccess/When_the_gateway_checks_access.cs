using Gatehouse.Contracts;
using Gatehouse.Contracts.Authorization;

namespace Gatehouse.Authorization.Tests.Decisions.CheckingAccess;

/// <summary>The decision table again, end to end: grants made through the admin API, questions asked over RabbitMQ.</summary>
[Collection(AnEmptyAuthorizationStoreCollection.Name)]
public class When_the_gateway_checks_access(AnEmptyAuthorizationStore service) : IAsyncLifetime
{
    private static readonly SemaphoreSlim SeedOnce = new(1, 1);
    private static bool _seeded;

    // Wednesday 2027-03-10 12:00 UTC: 13:00 in Berlin (CET), 07:00 in New York (EST, before US daylight time).
    private static readonly DateTimeOffset Wednesday = new(2027, 3, 10, 12, 0, 0, TimeSpan.Zero);

    public static TheoryData<string, string, string[], string, string, string?, DateTimeOffset, AccessDenialReason?> Cases => new()
    {
        { "an access role grant by label selector", "dt-zoe", ["user"], "dt-db", "postgres", null, Wednesday, null },
        { "an access role's name among the API roles is no membership", "dt-bob", ["dt-dba"], "dt-db", "postgres", null, Wednesday,
            AccessDenialReason.NoMatchingGrant },
        { "a label selector that does not cover the target", "dt-zoe", ["user"], "dt-web", "deploy", null, Wednesday, AccessDenialReason.NoMatchingGrant },
        { "an unknown target", "dt-zoe", ["user"], "dt-nowhere", "postgres", null, Wednesday, AccessDenialReason.UnknownTarget },
        { "a login the grant does not allow", "dt-bob", [], "dt-web", "root", null, Wednesday, AccessDenialReason.LoginNotAllowed },
        { "inside Berlin office hours", "dt-bob", [], "dt-web", "deploy", null, Wednesday, null },
        { "after Berlin office hours", "dt-bob", [], "dt-web", "deploy", null, Wednesday.AddHours(5.5), AccessDenialReason.OutsideTimeWindow },
        { "a New York night window, after midnight", "dt-nina", [], "dt-batch", "ops", null,
            new DateTimeOffset(2027, 3, 13, 9, 0, 0, TimeSpan.Zero), null },
        { "a New York night window, closed in the morning", "dt-nina", [], "dt-batch", "ops", null,
            new DateTimeOffset(2027, 3, 13, 12, 0, 0, TimeSpan.Zero), AccessDenialReason.OutsideTimeWindow },
        { "a New York night window, before it opens", "dt-nina", [], "dt-batch", "ops", null,
            new DateTimeOffset(2027, 3, 12, 23, 0, 0, TimeSpan.Zero), AccessDenialReason.OutsideTimeWindow },
        { "before the expiry", "dt-carol", [], "dt-web", "deploy", null, new DateTimeOffset(2029, 12, 31, 0, 0, 0, TimeSpan.Zero), null },
        { "after the expiry", "dt-carol", [], "dt-web", "deploy", null, new DateTimeOffset(2030, 1, 2, 0, 0, 0, TimeSpan.Zero), AccessDenialReason.GrantExpired },
        { "an IPv4 source in the CIDR", "dt-dave", [], "dt-dmz", "admin", "10.20.1.1", Wednesday, null },
        { "an IPv4 source outside the CIDR", "dt-dave", [], "dt-dmz", "admin", "192.168.1.1", Wednesday, AccessDenialReason.SourceNotAllowed },
        { "an IPv4-mapped IPv6 source in the IPv4 CIDR", "dt-dave", [], "dt-dmz", "admin", "::ffff:10.20.1.1", Wednesday, null },
        { "an IPv6 source in the IPv6 CIDR", "dt-dave", [], "dt-dmz", "admin", "2001:db8:42::9", Wednesday, null },
        { "an IPv6 source outside the IPv6 CIDR", "dt-dave", [], "dt-dmz", "admin", "2001:db8:99::1", Wednesday, AccessDenialReason.SourceNotAllowed },
        { "a revoked grant", "dt-erin", [], "dt-web", "deploy", null, Wednesday, AccessDenialReason.GrantRevoked },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Should_answer_with_the_expected_reason(string scenario, string user, string[] apiRoles, string target,
        string login, string? source, DateTimeOffset now, AccessDenialReason? expected)
    {
        service.Clock.Set(now);
        var answer = await service.CheckAsync(new CheckAccess(user, apiRoles, target, login, source, false, $"dt-{Guid.NewGuid()}"));

        if (expected is null)
        {
            var allowed = Assert.IsType<AccessAllowed>(answer);
            Assert.Equal(target, allowed.Target);
            Assert.Equal(22, allowed.TargetPort);
        }
        else
        {
            var refused = Assert.IsType<AccessRefused>(answer);
            Assert.True(expected == refused.Reason, $"{scenario}: expected {expected}, got {refused.Reason}: {refused.Detail}");
        }
    }

    [Fact]
    public async Task Should_record_every_decision_as_an_access_event()
    {
        service.Clock.Set(Wednesday);
        var allowed = Assert.IsType<AccessAllowed>(
            await service.CheckAsync(new CheckAccess("dt-bob", [], "dt-web", "deploy", "10.1.1.1", false, "session-1")));
        var refused = Assert.IsType<AccessRefused>(
            await service.CheckAsync(new CheckAccess("dt-bob", [], "dt-db", "postgres", "10.1.1.1", false, "session-2")));

        var granted = Assert.IsType<AccessGranted>(Assert.Single(await service.EventsOfStreamAsync(allowed.DecisionId)));
        Assert.Equal((allowed.DecisionId, allowed.GrantId, "dt-bob", "10.1.1.1", "session-1"),
            (granted.EventId, granted.GrantId, granted.UserName, granted.SourceAddress, granted.CorrelationId));
        var denied = Assert.IsType<AccessDenied>(Assert.Single(await service.EventsOfStreamAsync(refused.DecisionId)));
        Assert.Equal((AccessDenialReason.NoMatchingGrant, "session-2"), (denied.Reason, denied.CorrelationId));
    }

    [Fact]
    public async Task Should_give_the_gateway_the_grants_forwarding_destinations_and_remote_forward_ports_and_record_them()
    {
        service.Clock.Set(Wednesday);
        var allowed = Assert.IsType<AccessAllowed>(
            await service.CheckAsync(new CheckAccess("dt-dave", [], "dt-dmz", "admin", "10.20.1.1", false, $"dt-{Guid.NewGuid()}")));
        var without = Assert.IsType<AccessAllowed>(
            await service.CheckAsync(new CheckAccess("dt-bob", [], "dt-web", "deploy", "10.1.1.1", false, $"dt-{Guid.NewGuid()}")));

        Assert.True(allowed.PortForwardingAllowed);
        Assert.Equal(["db-*.internal:5432", "127.0.0.1:5432"], allowed.ForwardingDestinations);
        var granted = Assert.IsType<AccessGranted>(Assert.Single(await service.EventsOfStreamAsync(allowed.DecisionId)));
        Assert.Equal(["db-*.internal:5432", "127.0.0.1:5432"], granted.ForwardingDestinations);
        Assert.Equal(["8080", "9000-9009"], allowed.RemoteForwardingPorts);
        Assert.Equal(["8080", "9000-9009"], granted.RemoteForwardingPorts);
        Assert.False(without.PortForwardingAllowed);
        Assert.Empty(without.ForwardingDestinations ?? []);
        Assert.Empty(without.RemoteForwardingPorts ?? []);
    }

    [Fact]
    public async Task Should_tell_a_user_without_a_grant_the_same_whatever_exists_while_the_events_say_which()
    {
        service.Clock.Set(Wednesday);
        // dt-bob holds a grant to dt-web only: dt-nowhere does not exist, dt-db does (with login postgres, not nobody).
        var asked = new[] { ("dt-nowhere", "postgres"), ("dt-db", "postgres"), ("dt-db", "nobody") };

        var refusals = new List<AccessRefused>();
        foreach (var (target, login) in asked)
        {
            refusals.Add(Assert.IsType<AccessRefused>(
                await service.CheckAsync(new CheckAccess("dt-bob", [], target, login, "10.1.1.1", false, $"dt-{Guid.NewGuid()}"))));
        }

        Assert.All(refusals, r => Assert.Equal(AccessRefused.NotCovered, r.ShownToUser));
        var denied = new List<AccessDenied>();
        foreach (var refused in refusals)
        {
            denied.Add(Assert.IsType<AccessDenied>(Assert.Single(await service.EventsOfStreamAsync(refused.DecisionId))));
        }

        Assert.Equal([AccessDenialReason.UnknownTarget, AccessDenialReason.NoMatchingGrant, AccessDenialReason.UnknownLogin],
            denied.Select(d => d.Reason));
        Assert.Contains("no target named 'dt-nowhere'", denied[0].Detail);
        Assert.Contains("has no login 'nobody'", denied[2].Detail);
    }

    public async Task InitializeAsync()
    {
        await SeedOnce.WaitAsync();
        try
        {
            if (!_seeded)
            {
                await SeedAsync();
                _seeded = true;
            }
        }
        finally
        {
            SeedOnce.Release();
        }
    }

    public Task DisposeAsync()
    {
        service.Clock.Reset();
        return Task.CompletedTask;
    }

    private async Task SeedAsync()
    {
        using var admin = service.Admin();
        await Target(admin, "dt-web", new() { ["env"] = "prod", ["team"] = "web" }, "deploy", "root");
        await Target(admin, "dt-db", new() { ["env"] = "prod", ["team"] = "db" }, "postgres");
        await Target(admin, "dt-batch", new() { ["env"] = "batch" }, "ops");
        await Target(admin, "dt-dmz", new() { ["zone"] = "dmz" }, "admin");

        await service.CreateUsersAsync("dt-bob", "dt-nina", "dt-carol", "dt-dave", "dt-erin", "dt-zoe");
        (await AnEmptyAuthorizationStore.Post(admin, "/api/roles", new { name = "dt-dba" })).EnsureSuccessStatusCode();
        (await admin.PutAsync("/api/roles/dt-dba/members/dt-zoe", null)).EnsureSuccessStatusCode();

        await Grant(admin, new { subjectKind = "Role", subject = "dt-dba", targetLabels = new { team = "db" }, logins = new[] { "postgres" } });
        await Grant(admin, new
        {
            subjectKind = "User", subject = "dt-bob", targetNames = new[] { "dt-web" }, logins = new[] { "deploy" },
            timeWindows = new[] { new { timeZone = "Europe/Berlin", days = new[] { "mon", "tue", "wed", "thu", "fri" }, from = "08:00", to = "18:00" } },
        });
        await Grant(admin, new
        {
            subjectKind = "User", subject = "dt-nina", targetNames = new[] { "dt-batch" }, logins = new[] { "ops" },
            timeWindows = new[] { new { timeZone = "America/New_York", days = new[] { "friday" }, from = "22:00", to = "06:00" } },
        });
        await Grant(admin, new
        {
            subjectKind = "User", subject = "dt-carol", targetNames = new[] { "dt-web" }, logins = new[] { "deploy" },
            expiresAt = new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero),
        });
        var daves = await Grant(admin, new
        {
            subjectKind = "User", subject = "dt-dave", targetLabels = new { zone = "dmz" }, logins = new[] { "admin" },
            sourceCidrs = new[] { "10.20.0.0/16", "2001:db8:42::/48" },
            portForwardingAllowed = true, forwardingDestinations = new[] { "DB-*.Internal:5432", "127.0.0.1:5432" },
            remoteForwardingPorts = new[] { "8080", "9000-9009" },
        });
        Assert.Equal(["db-*.internal:5432", "127.0.0.1:5432"], daves.ForwardingDestinations);
        var erins = await Grant(admin, new { subjectKind = "User", subject = "dt-erin", targetNames = new[] { "dt-web" }, logins = new[] { "deploy" } });
        (await AnEmptyAuthorizationStore.Post(admin, $"/api/grants/{erins.Id}/revoke", new { reason = "moved to another team" })).EnsureSuccessStatusCode();
    }

    private static async Task Target(HttpClient admin, string name, Dictionary<string, string> labels, params string[] logins) =>
        await AnEmptyAuthorizationStore.Read<Gatehouse.Authorization.Targets.Target>(await AnEmptyAuthorizationStore.Post(admin, "/api/targets",
            new { name, address = $"{name}.example.internal", port = 22, labels, logins }));

    private static async Task<Authorization.Grants.Grant> Grant(HttpClient admin, object body) =>
        await AnEmptyAuthorizationStore.Read<Authorization.Grants.Grant>(await AnEmptyAuthorizationStore.Post(admin, "/api/grants", body));
}
