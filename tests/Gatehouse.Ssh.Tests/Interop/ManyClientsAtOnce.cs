using System.Diagnostics;
using Gatehouse.Ssh.Tests.TestGateway;
using Renci.SshNet;

namespace Gatehouse.Ssh.Tests.Interop;

[Collection(SerialCollection.Name)]
public class ManyClientsAtOnce(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    /// <summary>What the test allows the whole run: SSH.NET's own 30 s per request failed one of 200 first, once, in CI.</summary>
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(90);

    private ConnectionInfo Connection() =>
        new("127.0.0.1", gateway.Port, LocalShellHooks.KeyUser, new PrivateKeyAuthenticationMethod(LocalShellHooks.KeyUser, new PrivateKeyFile(gateway.Ed25519Key)))
        {
            Timeout = Bound,
        };

    [Fact]
    public async Task Should_complete_200_concurrent_connections_running_commands()
    {
        ThreadPool.GetMinThreads(out var workers, out var io);
        ThreadPool.SetMinThreads(Math.Max(workers, 220), io);
        var clock = Stopwatch.StartNew();

        var results = await Task.WhenAll(Enumerable.Range(0, 200).Select(i => Task.Run(async () =>
        {
            using var client = new SshClient(Connection());
            await client.ConnectAsync(CancellationToken.None);
            using var command = client.RunCommand($"echo connection-{i}");
            return (i, command.Result, command.ExitStatus);
        })));

        Assert.All(results, r => Assert.Equal(($"connection-{r.i}\n", 0), (r.Result, r.ExitStatus)));
        Assert.True(clock.Elapsed < Bound, $"took {clock.Elapsed}");
    }
}
