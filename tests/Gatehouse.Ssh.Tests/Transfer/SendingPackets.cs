using Gatehouse.Ssh.Tests.TestGateway;
using Gatehouse.Ssh.Transport;

namespace Gatehouse.Ssh.Tests.Transfer;

public class SendingPackets
{
    [Fact]
    public async Task Should_finish_a_packet_whose_sender_gave_up_during_the_write_so_the_next_packet_still_parses()
    {
        // A channel's close cancelled a data packet half way into the socket: the connection then carried a partial
        // packet and the client dropped it with "Bad packet length" (seen with a probe of a forwarded port).
        var wire = new HalfWaySocket();
        var sender = new PacketTransport(wire, 35000, 32768);
        using var channelClosed = new CancellationTokenSource();
        var first = Enumerable.Repeat((byte)'a', 1000).ToArray();

        var sending = sender.SendChannelDataAsync(Open, first, stderr: false, channelClosed.Token).AsTask();
        await wire.WriteStarted.WaitAsync(TimeSpan.FromSeconds(10));
        await channelClosed.CancelAsync();
        wire.Release();
        await sending;
        await sender.SendChannelDataAsync(Open, "next"u8.ToArray(), stderr: false, CancellationToken.None);

        var receiver = new PacketTransport(new MemoryStream(wire.Written.ToArray()), 35000, 32768);
        Assert.Equal(first, DataOf(await receiver.ReadPacketAsync(CancellationToken.None)));
        Assert.Equal("next"u8.ToArray(), DataOf(await receiver.ReadPacketAsync(CancellationToken.None)));
    }

    [Fact]
    public async Task Should_send_nothing_for_a_packet_given_up_before_it_was_sealed()
    {
        var wire = new HalfWaySocket();
        wire.Release();
        var sender = new PacketTransport(wire, 35000, 32768);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            sender.SendChannelDataAsync(Open, "gone"u8.ToArray(), stderr: false, new CancellationToken(canceled: true)).AsTask());
        await sender.SendChannelDataAsync(Open, "next"u8.ToArray(), stderr: false, CancellationToken.None);

        var receiver = new PacketTransport(new MemoryStream(wire.Written.ToArray()), 35000, 32768);
        Assert.Equal("next"u8.ToArray(), DataOf(await receiver.ReadPacketAsync(CancellationToken.None)));
    }

    [Fact]
    public async Task Should_send_nothing_more_on_a_channel_once_its_close_was_sent()
    {
        // OpenSSH frees a channel once both CLOSEs crossed and reuses its number: a late EOF or data packet then lands on
        // the client's next forward (seen: a probed forward that never got its bytes), or ends the connection.
        var wire = new HalfWaySocket();
        wire.Release();
        var sender = new PacketTransport(wire, 35000, 32768);
        var closed = new OpenChannel { CloseSent = true };

        await Assert.ThrowsAsync<IOException>(() => sender.SendChannelDataAsync(closed, "late"u8.ToArray(), stderr: false, CancellationToken.None).AsTask());
        await sender.SendAsync(new byte[] { 96, 0, 0, 0, 7 }, CancellationToken.None, closed);
        await sender.SendChannelDataAsync(Open, "next"u8.ToArray(), stderr: false, CancellationToken.None);

        var receiver = new PacketTransport(new MemoryStream(wire.Written.ToArray()), 35000, 32768);
        Assert.Equal("next"u8.ToArray(), DataOf(await receiver.ReadPacketAsync(CancellationToken.None)));
        await Assert.ThrowsAnyAsync<IOException>(() => receiver.ReadPacketAsync(CancellationToken.None).AsTask());
    }

    private static readonly OpenChannel Open = new();

    // SSH_MSG_CHANNEL_DATA: type, recipient, length, data.
    private static byte[] DataOf(ReadOnlyMemory<byte> payload) => payload[9..].ToArray();

    private sealed class OpenChannel : IClosableChannel
    {
        public uint RemoteId => 7;

        public bool CloseSent { get; init; }
    }

    /// <summary>Like a socket whose send buffer is full: half the bytes go out at once, the rest when released or never if cancelled.</summary>
    private sealed class HalfWaySocket : WriteOnlyStream
    {
        private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public MemoryStream Written { get; } = new();

        public Task WriteStarted => _started.Task;

        public void Release() => _released.TrySetResult();

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var half = buffer.Length / 2;
            Written.Write(buffer.Span[..half]);
            _started.TrySetResult();
            await _released.Task.WaitAsync(cancellationToken);
            // A socket would have noticed the cancellation before the rest went out.
            cancellationToken.ThrowIfCancellationRequested();
            Written.Write(buffer.Span[half..]);
        }
    }
}
