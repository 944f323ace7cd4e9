using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Gatehouse.EndToEnd.Tests.Support;
using Gatehouse.SessionBroker.Targets;
using Microsoft.Extensions.Logging.Abstractions;
using Renci.SshNet;

namespace Gatehouse.EndToEnd.Tests.Forwarding;

/// <summary>
/// The gateway's end of a connection to a port the stack's real sshd listens on for it (ssh -R), read by no one: what it
/// holds of the connecting side's data stays within the window it gave the target, the target connection stays usable
/// meanwhile, and nothing is lost once it is read, to the connecting side's end of data.
/// </summary>
[Collection(GatehouseCollection.Name)]
public sealed class When_a_remote_connection_is_not_read(GatehouseStack stack)
{
    private const int Sent = 32 * 1024 * 1024;

    [Fact]
    public async Task Should_hold_no_more_than_the_window_it_gave_the_target_and_deliver_everything_to_the_end_of_data()
    {
        var payload = RandomNumberGenerator.GetBytes(Sent);
        using var client = new SshClient(new ConnectionInfo("127.0.0.1", stack.Target.Port, SshTarget.Login,
            new PrivateKeyAuthenticationMethod(SshTarget.Login, new PrivateKeyFile(stack.VaultKey))) { Timeout = TimeSpan.FromSeconds(30) });
        await client.ConnectAsync(CancellationToken.None);
        var arrived = new TaskCompletionSource<ArrivedConnection>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var listener = await TargetListener.StartAsync(client, IPAddress.Loopback, 0, connection =>
        {
            arrived.TrySetResult(connection);
            return Task.CompletedTask;
        }, NullLogger.Instance, CancellationToken.None);

        // A process on the target (its sshd listens on this machine's loopback) connects to the port and sends.
        using var sender = new TcpClient();
        await sender.ConnectAsync(IPAddress.Loopback, (int)listener.BoundPort);
        var connection = await arrived.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(((IPEndPoint)sender.Client.LocalEndPoint!).Port, (int)connection.OriginatorPort);
        using var tunnel = connection.Accept();
        var flow = new Flow();
        var sending = flow.SendAsync(sender, payload);

        // Nothing is read until the connecting side can send no more.
        await flow.AssertHeldWithinTheWindowThenDeliveredAsync(tunnel, client, payload, sending);
    }
}
