using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Gatehouse.SessionBroker.Targets;

namespace Gatehouse.SessionBroker.Tests.Targets;

/// <summary>A remote forward's hand-over port takes connections this process opened (SSH.NET's), never another process's.</summary>
public sealed class When_a_loopback_connection_is_handed_over
{
    [Fact]
    public async Task A_connection_this_process_opened_is_its_own()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        using var ours = new TcpClient();
        await ours.ConnectAsync(IPAddress.Loopback, ((IPEndPoint)listener.LocalEndpoint).Port);
        using var accepted = await listener.AcceptSocketAsync();

        Assert.True(LoopbackPeer.IsThisProcess(accepted));
    }

    [Fact]
    public async Task A_connection_another_process_opened_is_not()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        using var other = Process.Start(new ProcessStartInfo("bash", ["-c", $"exec 3<>/dev/tcp/127.0.0.1/{port}; sleep 30"]))!;
        try
        {
            using var accepted = await listener.AcceptSocketAsync().WaitAsync(TimeSpan.FromMinutes(1));

            Assert.False(LoopbackPeer.IsThisProcess(accepted));
        }
        finally
        {
            other.Kill();
        }
    }
}
