using Gatehouse.TestSupport;
using Xunit.Abstractions;
using Gatehouse.Authentication.Tests.Support;

namespace Gatehouse.Authentication.Tests.Api;

/// <summary>Every endpoint of the Authentication API, probed with hostile values and bodies: a 400 with the reason, never a 5xx.</summary>
[Collection(ServiceWithFirstAdminCollection.Name)]
public sealed class When_a_caller_sends_hostile_input(ServiceWithFirstAdmin fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task Should_never_answer_5xx_nor_store_anything()
    {
        var before = await fixture.StoredDataAsync();

        var report = await HostileInput.ProbeAsync(fixture.Admin, fixture.Service.Services, TimeSpan.FromMinutes(3));

        output.WriteLine($"{report.Requests} requests to {report.Endpoints.Count} endpoints in {report.Took.TotalSeconds:0.0} s:\n{string.Join("\n", report.Endpoints)}");
        Assert.Contains(report.Endpoints, e => e is { Method: "POST", Template: "/api/users" });
        Assert.True(report.Failures.Count == 0, string.Join("\n", report.Failures));
        Assert.Equal(before, await fixture.StoredDataAsync());
    }
}
