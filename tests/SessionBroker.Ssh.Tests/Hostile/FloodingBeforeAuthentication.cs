using System.Diagnostics;
using System.Net;
using Gatehouse.Ssh.Tests.TestGateway;

namespace Gatehouse.Ssh.Tests.Hostile;

/// <summary>
/// Issue #15, finding 7: many loopback source addresses each hold connections that never authenticate, against
/// a gateway with the limits it ships with. A user from another address must still be able to sign in.
/// </summary>
[Collection(SerialCollection.Name)]
public class FloodingBeforeAuthentication(GatewayWithShippedLimits gateway) : IClassFixture<GatewayWithShippedLimits>
{
    private const string User = "127.0.200.1";

    [Fact]
    public async Task Ten_sources_holding_silent_connections_leave_room_for_a_user_from_another_address()
    {
        await using var flood = await StallingConnections.OpenAsync(gateway.Port, DistinctSubnets(10), perSource: 10, StallingConnections.Stage.Silent);
        await AssertHeldAsync(flood);

        await AssertUserSignsInAsync();
    }

    [Fact]
    public async Task Ten_sources_stalling_after_their_key_exchange_init_leave_room_for_a_user_from_another_address()
    {
        await using var flood = await StallingConnections.OpenAsync(gateway.Port, DistinctSubnets(10), perSource: 10, StallingConnections.Stage.AfterKexInit);
        await AssertHeldAsync(flood);

        await AssertUserSignsInAsync();
    }

    private static IEnumerable<IPAddress> DistinctSubnets(int count) =>
        Enumerable.Range(1, count).Select(i => IPAddress.Parse($"127.0.{i}.1"));

    /// <summary>The gateway has taken in as much of the flood as it will, and still holds it.</summary>
    private async Task AssertHeldAsync(StallingConnections flood)
    {
        await WaitForAsync(() => gateway.Server.UnauthenticatedConnections >= Math.Min(flood.Count, 50));
        var settled = -1;
        while (settled != gateway.Server.UnauthenticatedConnections)
        {
            settled = gateway.Server.UnauthenticatedConnections;
            await Task.Delay(200);
        }
        Assert.True(settled >= 50, $"the flood holds {settled} of the gateway's unauthenticated slots");
    }

    private async Task AssertUserSignsInAsync()
    {
        var clock = Stopwatch.StartNew();
        var result = await OpenSsh.SshAsync(gateway, LocalShellHooks.KeyUser, "echo signed-in", extraOptions: ["-b", User], timeout: TimeSpan.FromSeconds(30));

        Assert.True(result.ExitCode == 0, $"the user from {User} could not sign in: {result.Error}");
        Assert.Equal("signed-in\n", result.Text);
        Assert.InRange(clock.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(15));
    }

    internal static async Task WaitForAsync(Func<bool> condition, TimeSpan? within = null)
    {
        var deadline = Stopwatch.StartNew();
        while (!condition())
        {
            if (deadline.Elapsed > (within ?? TimeSpan.FromSeconds(20))) throw new TimeoutException("condition not reached");
            await Task.Delay(50);
        }
    }
}

/// <summary>The gateway with the pre-authentication limits of <see cref="SshServerOptions"/> as shipped.</summary>
public sealed class GatewayWithShippedLimits : GatewayFixture
{
    protected override void Configure(SshServerOptions options)
    {
        var shipped = new SshServerOptions();
        options.LoginGraceTime = shipped.LoginGraceTime;
        options.KeyExchangeGraceTime = shipped.KeyExchangeGraceTime;
        options.MaxUnauthenticatedConnections = shipped.MaxUnauthenticatedConnections;
        options.MaxUnauthenticatedConnectionsPerSource = shipped.MaxUnauthenticatedConnectionsPerSource;
        options.MaxUnauthenticatedConnectionsPerSubnet = shipped.MaxUnauthenticatedConnectionsPerSubnet;
        options.UnauthenticatedHighWaterMark = shipped.UnauthenticatedHighWaterMark;
        options.SourceShareUnderPressure = shipped.SourceShareUnderPressure;
        options.SubnetShareUnderPressure = shipped.SubnetShareUnderPressure;
    }
}
