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
        await WaitForAsync(() => gateway.Server.UnauthenticatedConnections == 0);
        using var metrics = new GatewayMetrics();
        await using var flood = await StallingConnections.OpenAsync(gateway.Port, DistinctSubnets(10), perSource: 10, StallingConnections.Stage.Silent);
        await AssertHeldAsync(flood);

        await AssertUserSignsInAsync();
        Assert.True(metrics.Refused("source_share") >= 100 - gateway.Server.UnauthenticatedConnections - 1, string.Join(", ", metrics.All));
        Assert.Contains(gateway.Log.Messages, m => m.Contains("the gateway is crowded and this source holds its share"));
    }

    [Fact]
    public async Task Ten_sources_stalling_after_their_key_exchange_init_leave_room_for_a_user_from_another_address()
    {
        await WaitForAsync(() => gateway.Server.UnauthenticatedConnections == 0);
        await using var flood = await StallingConnections.OpenAsync(gateway.Port, DistinctSubnets(10), perSource: 10, StallingConnections.Stage.AfterKexInit);
        await AssertHeldAsync(flood);

        await AssertUserSignsInAsync();
    }

    [Fact]
    public async Task Many_addresses_of_one_subnet_hold_no_more_than_the_subnet_limit()
    {
        await WaitForAsync(() => gateway.Server.UnauthenticatedConnections == 0);
        using var metrics = new GatewayMetrics();
        var subnet = Enumerable.Range(1, 50).Select(i => IPAddress.Parse($"127.0.50.{i}"));
        await using var flood = await StallingConnections.OpenAsync(gateway.Port, subnet, perSource: 4, StallingConnections.Stage.Silent);
        await AssertHeldAsync(flood, expected: new SshServerOptions().MaxUnauthenticatedConnectionsPerSubnet);

        await AssertUserSignsInAsync();
        Assert.True(metrics.Refused("subnet_limit") >= 180, string.Join(", ", metrics.All));
    }

    [Fact]
    public async Task A_full_gateway_drops_a_stalled_connection_of_the_largest_subnet_to_let_a_newcomer_sign_in()
    {
        await WaitForAsync(() => gateway.Server.UnauthenticatedConnections == 0);
        using var metrics = new GatewayMetrics();
        // Keys exchanged, so each holds its slot for the whole login grace; 30 subnets of two addresses each.
        var sources = Enumerable.Range(1, 30).SelectMany(s => new[] { IPAddress.Parse($"127.0.{s}.1"), IPAddress.Parse($"127.0.{s}.2") });
        await using var flood = await StallingConnections.OpenAsync(gateway.Port, sources, perSource: 2, StallingConnections.Stage.AfterKeyExchange);
        await AssertHeldAsync(flood, expected: new SshServerOptions().MaxUnauthenticatedConnections);

        await AssertUserSignsInAsync();
        Assert.True(metrics.Dropped("evicted") >= 1, string.Join(", ", metrics.All));
        Assert.Contains(gateway.Log.Messages, m => m.Contains($"to admit {User}"));
    }

    /// <summary>The figure in the README, measured: what still denies service, and one subnet less that does not.</summary>
    [Theory]
    [InlineData(99, true)]
    [InlineData(100, false)]
    public async Task An_attacker_needs_a_connection_past_key_exchange_in_each_of_a_hundred_subnets_to_keep_a_user_out(int subnets, bool userSignsIn)
    {
        await WaitForAsync(() => gateway.Server.UnauthenticatedConnections == 0);
        await using var flood = await StallingConnections.OpenAsync(gateway.Port, DistinctSubnets(subnets), perSource: 1, StallingConnections.Stage.AfterKeyExchange);
        await AssertHeldAsync(flood, expected: subnets);

        var result = await OpenSsh.SshAsync(gateway, LocalShellHooks.KeyUser, "echo signed-in", extraOptions: ["-b", User], timeout: TimeSpan.FromSeconds(30));

        Assert.True(userSignsIn == (result.ExitCode == 0), $"exit {result.ExitCode}: {result.Error}");
    }

    [Fact]
    public async Task A_connection_stalled_before_key_exchange_is_dropped_after_the_short_grace_and_one_past_it_is_not()
    {
        await WaitForAsync(() => gateway.Server.UnauthenticatedConnections == 0);
        var shipped = new SshServerOptions();
        await using var stalled = await StallingConnections.OpenAsync(gateway.Port, [IPAddress.Parse("127.0.60.1")], perSource: 1, StallingConnections.Stage.AfterKexInit);
        var clock = Stopwatch.StartNew();
        await stalled.AddAsync(gateway.Port, IPAddress.Parse("127.0.61.1"), StallingConnections.Stage.AfterKeyExchange);

        Assert.True(await StallingConnections.IsClosedByGatewayAsync(stalled.Sockets[0], shipped.KeyExchangeGraceTime + TimeSpan.FromSeconds(15)));
        Assert.InRange(clock.Elapsed, shipped.KeyExchangeGraceTime - TimeSpan.FromSeconds(1), shipped.KeyExchangeGraceTime + TimeSpan.FromSeconds(15));
        Assert.False(await StallingConnections.IsClosedByGatewayAsync(stalled.Sockets[1], TimeSpan.FromSeconds(1)), "a connection past key exchange has the login grace");
    }

    private static IEnumerable<IPAddress> DistinctSubnets(int count) =>
        Enumerable.Range(1, count).Select(i => IPAddress.Parse($"127.0.{i}.1"));

    /// <summary>The gateway has taken in as much of the flood as it will (at least the high-water mark), and still holds it.</summary>
    private async Task AssertHeldAsync(StallingConnections flood, int? expected = null)
    {
        var atLeast = expected ?? new SshServerOptions().UnauthenticatedHighWaterMark;
        await WaitForAsync(() => gateway.Server.UnauthenticatedConnections >= Math.Min(flood.Count, atLeast));
        var settled = -1;
        while (settled != gateway.Server.UnauthenticatedConnections)
        {
            settled = gateway.Server.UnauthenticatedConnections;
            await Task.Delay(200);
        }
        Assert.True(expected is null ? settled >= atLeast : settled == expected, $"the flood holds {settled} of the gateway's unauthenticated slots");
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
