using System.Net;
using System.Net.Http.Json;
using Gatehouse.Contracts;
using Gatehouse.TestSupport;
using Marten;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Gatehouse.Audit.Tests.Security;

/// <summary>Alert actions and integrity runs the SOC API refuses are recorded as <see cref="AuditChangeRefused"/>, as Authorization records its own.</summary>
public sealed class When_an_audit_action_is_refused : IAsyncLifetime
{
    private WebApplicationFactory<Program> _audit = null!;

    public Task InitializeAsync()
    {
        _audit = AuditService.Start(Infrastructure.UniqueSchema("audit_refused"));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _audit.DisposeAsync();

    [Fact]
    public async Task A_user_without_the_soc_role_and_an_analyst_naming_an_unknown_alert_are_recorded_and_a_done_read_is_not()
    {
        using var mallory = _audit.As("mallory", "user");
        using var analyst = _audit.Analyst();
        var unknown = Guid.NewGuid();

        var acknowledged = await mallory.PostAsJsonAsync($"/api/audit/alerts/{unknown}/acknowledge", new { note = "mine now" });
        var verified = await mallory.GetAsync("/api/audit/integrity/verify");
        var resolved = await analyst.PostAsJsonAsync($"/api/audit/alerts/{unknown}/resolve", new { note = "probing" });
        var listed = await analyst.GetAsync("/api/audit/alerts/" + unknown);

        Assert.Equal((HttpStatusCode.Forbidden, HttpStatusCode.Forbidden, HttpStatusCode.NotFound, HttpStatusCode.NotFound),
            (acknowledged.StatusCode, verified.StatusCode, resolved.StatusCode, listed.StatusCode));
        var refusals = await RefusalsAsync(3);
        Assert.Equal(
            [
                ("mallory", "GET /api/audit/integrity/verify", ChangeRefusalReason.Forbidden, (string?)null),
                ("mallory", "POST /api/audit/alerts/{id:guid}/acknowledge", ChangeRefusalReason.Forbidden, $"id={unknown}"),
                ("sam-analyst", "POST /api/audit/alerts/{id:guid}/resolve", ChangeRefusalReason.NotFound, $"id={unknown}"),
            ],
            refusals.Select(r => (r.Actor, r.Change, r.Reason, r.Subject)).OrderBy(r => r.Actor).ThenBy(r => r.Change).ToList());
        Assert.All(refusals.Where(r => r.Actor == "mallory"), r => Assert.Equal(["user"], r.ActorRoles));
    }

    private async Task<IReadOnlyList<AuditChangeRefused>> RefusalsAsync(int expected)
    {
        // The refusal is recorded as the answer leaves: the client can have it a moment before the record is saved.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            await using var session = _audit.Services.GetRequiredService<IDocumentStore>().QuerySession();
            var refusals = await session.Events.QueryRawEventDataOnly<AuditChangeRefused>().ToListAsync();
            if (refusals.Count >= expected || DateTime.UtcNow > deadline)
            {
                return refusals;
            }

            await Task.Delay(100);
        }
    }
}
