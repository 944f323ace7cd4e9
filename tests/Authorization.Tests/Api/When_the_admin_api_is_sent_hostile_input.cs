using Gatehouse.TestSupport;
using Xunit.Abstractions;

namespace Gatehouse.Authorization.Tests.Api;

/// <summary>Every endpoint of the admin API, probed with hostile values and bodies: a 400 with the reason, never a 5xx.</summary>
[Collection(AuthorizationServiceCollection.Name)]
public class When_the_admin_api_is_sent_hostile_input(AuthorizationService service, ITestOutputHelper output)
{
    [Fact]
    public async Task Should_never_answer_5xx_nor_store_anything()
    {
        // Every role, so the probes reach every endpoint rather than stopping at a 403.
        using var admin = service.As("root-admin", "admin", "approver");
        var before = await service.EventCountAsync();

        var report = await HostileInput.ProbeAsync(admin, service.Services, TimeSpan.FromMinutes(3));

        output.WriteLine($"{report.Requests} requests to {report.Endpoints.Count} endpoints in {report.Took.TotalSeconds:0.0} s:\n{string.Join("\n", report.Endpoints)}");
        Assert.Contains(report.Endpoints, e => e is { Method: "POST", Template: "/api/grants" });
        Assert.True(report.Failures.Count == 0, string.Join("\n", report.Failures));
        Assert.Equal(before, await service.EventCountAsync());
    }
}
