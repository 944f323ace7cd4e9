using System.Diagnostics;
using System.Net.Sockets;
using System.Security.Cryptography;
using Gatehouse.SessionBroker.Targets;
using Renci.SshNet;

namespace Gatehouse.EndToEnd.Tests.Forwarding;

/// <summary>
/// What the tests of a forward nobody reads share: a sender that counts what the kernel took from it, the wait until it
/// can send no more, and what a gateway's tunnel holds meanwhile and delivers once read the way the relay reads (handing each read on).
/// </summary>
internal sealed class Flow
{
    private const int Block = 64 * 1024;
    private long _written;

    /// <summary>What the sender has handed to the kernel so far.</summary>
    public long Written => Interlocked.Read(ref _written);

    /// <summary>Sends <paramref name="payload"/> on <paramref name="peer"/> in blocks, counting them, then half-closes.</summary>
    public async Task SendAsync(TcpClient peer, byte[] payload)
    {
        for (var offset = 0; offset < payload.Length; offset += Block)
        {
            var count = Math.Min(Block, payload.Length - offset);
            await peer.GetStream().WriteAsync(payload.AsMemory(offset, count));
            Interlocked.Add(ref _written, count);
        }

        peer.Client.Shutdown(SocketShutdown.Send);
    }

    /// <summary>Waits until the sender began, then took nothing more for 3 s (2 min at most); returns what it had sent by then.</summary>
    public async Task<long> StalledAsync()
    {
        var waited = Stopwatch.StartNew();
        var (last, quiet) = (0L, Stopwatch.StartNew());
        while ((last == 0 || quiet.Elapsed < TimeSpan.FromSeconds(3)) && waited.Elapsed < TimeSpan.FromMinutes(2))
        {
            if (Written != last)
            {
                (last, quiet) = (Written, Stopwatch.StartNew());
            }

            await Task.Delay(100);
        }

        return last;
    }

    /// <summary>
    /// Once nothing reads <paramref name="tunnel"/> and the sender stalled: the gateway holds some of the data and no more
    /// than the window it gave the target, the target connection still runs a command, and reading the tunnel to its
    /// end of data gives the whole payload intact.
    /// </summary>
    public async Task AssertHeldWithinTheWindowThenDeliveredAsync(TargetTunnel tunnel, SshClient client, byte[] payload, Task sending)
    {
        Assert.True(await StalledAsync() < payload.Length, "everything was sent into a tunnel nobody read");
        Assert.InRange(tunnel.Buffered, 1, TargetTunnel.TargetWindow);
        Assert.Equal("still here\n", client.RunCommand("echo still here").Result);

        var received = await ReadToEndAsync(tunnel, payload.Length);
        await sending;
        Assert.Equal(payload.Length, received.Length);
        Assert.Equal(SHA256.HashData(payload), SHA256.HashData(received));
    }

    /// <summary>Reads <paramref name="tunnel"/> to the destination's end of data, checking that it never holds more than its window.</summary>
    private async Task<byte[]> ReadToEndAsync(TargetTunnel tunnel, int expected)
    {
        var received = new MemoryStream();
        while (true)
        {
            var reading = tunnel.FromTarget.ReadAsync().AsTask();
            if (await Task.WhenAny(reading, Task.Delay(TimeSpan.FromMinutes(1))) != reading)
            {
                Assert.Fail($"the tunnel stopped after {received.Length} of {expected} bytes ({Written} sent, {tunnel.Buffered} held)");
            }

            var result = await reading;
            foreach (var segment in result.Buffer)
            {
                received.Write(segment.Span);
            }

            var length = (int)result.Buffer.Length;
            tunnel.FromTarget.AdvanceTo(result.Buffer.End);
            tunnel.Taken(length);
            Assert.InRange(tunnel.Buffered, 0, TargetTunnel.TargetWindow);
            if (result.IsCompleted)
            {
                return received.ToArray();
            }
        }
    }
}
