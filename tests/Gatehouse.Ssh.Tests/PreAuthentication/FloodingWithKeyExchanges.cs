using Gatehouse.Ssh.Tests.TestGateway;

namespace Gatehouse.Ssh.Tests.PreAuthentication;

/// <summary>
/// Issue #19: each key exchange before authentication costs the gateway CPU (sntrup761 about 50 ms). The real OpenSSH
/// client, forced to sntrup761, makes exchanges from one loopback source without ever signing in; past the rate it is
/// disconnected with the reason, while a user from another subnet signs in, more often than the rate, as it likes.
/// </summary>
[Collection(SerialCollection.Name)]
public class FloodingWithKeyExchanges(GatewayWithAKeyExchangeRate gateway) : IClassFixture<GatewayWithAKeyExchangeRate>
{
    private static readonly string[] Sntrup = ["-o", "KexAlgorithms=sntrup761x25519-sha512@openssh.com"];

    [Fact]
    public async Task A_source_making_key_exchanges_without_signing_in_is_refused_while_another_subnet_signs_in()
    {
        using var metrics = new GatewayMetrics();
        var flood = new List<ProcessResult>();
        for (var i = 0; i < GatewayWithAKeyExchangeRate.PerSource + 3; i++)
        {
            flood.Add(await OpenSsh.SshAsync(gateway, LocalShellHooks.KeyUser, "true", identity: gateway.StrangerKey,
                extraOptions: [.. Sntrup, "-b", "127.0.0.2"], timeout: TimeSpan.FromSeconds(60)));
        }

        // The first ones get as far as authentication (the key is nobody's); the rest are stopped before the exchange.
        Assert.All(flood.Take(GatewayWithAKeyExchangeRate.PerSource), r => Assert.Contains("Permission denied", r.Error));
        Assert.All(flood.Skip(GatewayWithAKeyExchangeRate.PerSource), r =>
            Assert.Contains("too many key exchanges without signing in from this source", r.Error));
        Assert.Equal(3, metrics.Refused("source_key_exchange_rate"));
        Assert.Contains(gateway.Log.Messages, m => m.Contains("127.0.0.2") && m.Contains("too many key exchanges without signing in from this source"));

        // Signing in gives the exchange back, so a user may connect more often than the rate allows failures.
        for (var i = 0; i < GatewayWithAKeyExchangeRate.PerSource + 2; i++)
        {
            var user = await OpenSsh.SshAsync(gateway, LocalShellHooks.KeyUser, "echo signed-in", extraOptions: [.. Sntrup, "-b", "127.0.1.1"],
                timeout: TimeSpan.FromSeconds(60));
            Assert.True(user.ExitCode == 0, $"the user from 127.0.1.1 could not sign in: {user.Error}");
            Assert.Equal("signed-in\n", user.Text);
        }

        // Another address of the flooding subnet still has what is left of the subnet's budget, then no more.
        var neighbour = new List<ProcessResult>();
        for (var i = 0; i < GatewayWithAKeyExchangeRate.PerSubnet - GatewayWithAKeyExchangeRate.PerSource + 1; i++)
        {
            neighbour.Add(await OpenSsh.SshAsync(gateway, LocalShellHooks.KeyUser, "true", identity: gateway.StrangerKey,
                extraOptions: [.. Sntrup, "-b", "127.0.0.3"], timeout: TimeSpan.FromSeconds(60)));
        }

        Assert.All(neighbour.SkipLast(1), r => Assert.Contains("Permission denied", r.Error));
        Assert.Contains("too many key exchanges without signing in from this subnet", neighbour[^1].Error);
        Assert.Equal(1, metrics.Refused("subnet_key_exchange_rate"));
    }
}

/// <summary>A gateway with a small key exchange rate before authentication and a window longer than the test.</summary>
public sealed class GatewayWithAKeyExchangeRate : GatewayFixture
{
    public const int PerSource = 3;
    public const int PerSubnet = 5;

    protected override void Configure(SshServerOptions options)
    {
        options.MaxPreAuthKeyExchangesPerSource = PerSource;
        options.MaxPreAuthKeyExchangesPerSubnet = PerSubnet;
        options.PreAuthKeyExchangeWindow = TimeSpan.FromMinutes(30);
    }
}
