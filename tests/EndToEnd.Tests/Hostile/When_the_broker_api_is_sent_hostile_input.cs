using Gatehouse.Contracts;
using Gatehouse.EndToEnd.Tests.Support;
using Gatehouse.TestSupport;
using Xunit.Abstractions;

namespace Gatehouse.EndToEnd.Tests.Hostile;

/// <summary>
/// Every endpoint of the SessionBroker's API (live sessions, the vault), probed with hostile values and bodies: a 400 with
/// the reason, never a 5xx. Here rather than in SessionBroker.Tests, which hosts no broker.
/// </summary>
[Collection(GatehouseCollection.Name)]
public sealed class When_the_broker_api_is_sent_hostile_input(GatehouseStack stack, ITestOutputHelper output)
{
    [Fact]
    public async Task Should_never_answer_5xx_nor_store_anything()
    {
        var before = await StoredAsync();

        var report = await HostileInput.ProbeAsync(stack.BrokerAdmin, stack.Broker, TimeSpan.FromMinutes(3));

        output.WriteLine($"{report.Requests} requests to {report.Endpoints.Count} endpoints in {report.Took.TotalSeconds:0.0} s:\n{string.Join("\n", report.Endpoints)}");
        Assert.Contains(report.Endpoints, e => e.Method == "PUT" && e.Template.Contains("vault", StringComparison.Ordinal));
        Assert.True(report.Failures.Count == 0, string.Join("\n", report.Failures));
        Assert.Equal(before, await StoredAsync());
    }

    // A refused request is recorded (GatewayChangeRefused, e.g. terminating an unknown id): the record of an attempt, not
    // something the attempt changed.
    private Task<StoredData> StoredAsync() => StoredData.InAsync(stack.Broker, typeof(GatewayChangeRefused));
}
