using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Gatehouse.EndToEnd.Tests.Support;

namespace Gatehouse.EndToEnd.Tests.Hostile;

/// <summary>
/// Issue #15, finding 7, against the real gateway with the limits it ships with: ten loopback sources, each in its own
/// /24, open ten connections that never send a byte. Before the fix they held all 100 unauthenticated slots and a user
/// from any other address was refused until the login grace (60 s) ran out.
/// </summary>
[Collection(GatehouseCollection.Name)]
public sealed class When_unauthenticated_connections_flood_the_gateway(GatehouseStack stack)
{
    [Fact]
    public async Task Should_let_a_user_from_another_address_sign_in_while_ten_sources_hold_silent_connections()
    {
        var (user, target, _) = await stack.AUserWithAGrantAsync("flood", "flood");
        var flood = new List<Socket>();
        try
        {
            for (var subnet = 1; subnet <= 10; subnet++)
            {
                for (var i = 0; i < 10; i++)
                {
                    var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                    flood.Add(socket);
                    socket.Bind(new IPEndPoint(IPAddress.Parse($"127.0.{subnet}.1"), 0));
                    await socket.ConnectAsync(IPAddress.Loopback, stack.GatewayPort);
                }
            }
            var held = 0;
            foreach (var socket in flood)
            {
                if (await AnsweredAsync(socket)) held++;
            }
            var clock = Stopwatch.StartNew();

            var result = await OpenSsh.SshAsync(stack, user, target, "echo through the flood",
                extraOptions: ["-o", $"BindAddress={OpenSsh.FreshLoopbackSource()}"]);

            Assert.True(result.ExitCode == 0, $"exit {result.ExitCode} with {held} flood connections held: {result.Error}");
            Assert.Equal("through the flood\n", result.Text);
            Assert.InRange(clock.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(20));
            // Five sources reached the high-water mark (50) with ten each, the other five got their share of two (less what
            // the gateway still held from earlier tests).
            Assert.InRange(held, 50, 60);
            Assert.Contains(stack.BrokerLog.Lines, l => l.Contains("Refusing connection from 127.0.10.1: the gateway is crowded and this source holds its share"));
        }
        finally
        {
            foreach (var socket in flood) socket.Dispose();
        }
    }

    /// <summary>The gateway greets a connection it holds with its version line and hangs up on one it refuses.</summary>
    private static async Task<bool> AnsweredAsync(Socket socket)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            return await socket.ReceiveAsync(new byte[256], SocketFlags.None, deadline.Token) > 0;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
