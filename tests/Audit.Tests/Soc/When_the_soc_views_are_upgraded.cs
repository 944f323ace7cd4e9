using System.Net.Http.Json;
using Gatehouse.Audit.Soc.Timelines;
using Gatehouse.Audit.Tests.EventPipeline;
using Gatehouse.Contracts;
using Gatehouse.TestSupport;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Gatehouse.Audit.Tests.Soc;

/// <summary>
/// A store written when the four SOC views were four projections (their own progress rows, no composite's): the
/// upgraded service carries on from where they stood, or rebuilds them when they stood apart, and counts no event twice.
/// </summary>
[Collection(AnAuditStoreFedByAProducerCollection.Name)]
public sealed class When_the_soc_views_are_upgraded
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Views_from_before_the_composite_carry_on_without_counting_an_event_twice(bool stoppedApart)
    {
        var schema = Infrastructure.UniqueSchema("socupgrade");
        try
        {
            var audit = AuditService.Start(schema);
            await RecordGrantsAsync(audit, 3);
            await WaitForGrantedAsync(audit, 3);
            await audit.DisposeAsync();

            // As the former projections left the store: their progress rows, and no composite's.
            await Infrastructure.AsAdministratorAsync(schema, "DELETE FROM {schema}.mt_event_progression WHERE name = 'SocViews:All'");
            if (stoppedApart)
            {
                await Infrastructure.AsAdministratorAsync(schema, "UPDATE {schema}.mt_event_progression SET last_seq_id = last_seq_id - 1 WHERE name = 'DecisionCount:All'");
            }

            await using var upgraded = AuditService.Start(schema);
            await RecordGrantsAsync(upgraded, 1);

            Assert.Equal(4, await WaitForGrantedAsync(upgraded, 4));
            // The view stays at four: nothing applied twice arrives late.
            await Task.Delay(1000);
            Assert.Equal(4, await WaitForGrantedAsync(upgraded, 4));
        }
        finally
        {
            await Infrastructure.DropSchemaAsync(schema);
        }
    }

    private static Task RecordGrantsAsync(WebApplicationFactory<Program> audit, int count) =>
        audit.RecordAsync(Enumerable.Range(0, count).Select(_ => (IAccessEvent)new AccessGranted("uma", "web01", "deploy", Guid.NewGuid(),
            null, false, "uma", "10.8.0.1", Guid.NewGuid().ToString(), Guid.CreateVersion7(), DateTimeOffset.UtcNow)));

    /// <summary>The granted count once it reaches <paramref name="atLeast"/> (or after 30 s).</summary>
    private static async Task<long> WaitForGrantedAsync(WebApplicationFactory<Program> audit, long atLeast)
    {
        using var client = audit.Analyst();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var counts = (await client.GetFromJsonAsync<IReadOnlyList<DecisionCount>>("/api/audit/decisions", AuditService.Json))!;
            var granted = counts.SingleOrDefault(c => c.Id == DecisionCountProjection.Granted)?.Count ?? 0;
            if (granted >= atLeast || DateTime.UtcNow > deadline)
            {
                return granted;
            }

            await Task.Delay(200);
        }
    }
}
