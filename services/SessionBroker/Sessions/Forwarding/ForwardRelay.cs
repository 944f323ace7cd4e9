using System.Buffers;
using Gatehouse.Contracts;
using Gatehouse.SessionBroker.Targets;
using Gatehouse.Ssh;
using Renci.SshNet.Common;

namespace Gatehouse.SessionBroker.Sessions.Forwarding;

/// <summary>How a relayed forward went: the bytes each way and which side ended it.</summary>
public sealed record RelayOutcome(long BytesFromClient, long BytesToClient, ForwardingEndReason EndReason);

/// <summary>
/// Copies a forward both ways until each side has sent its end of data, then closes both. Each direction waits for the
/// other side to take what it has (the client's window, the target's window), so neither is read faster than it is
/// written: that is the backpressure, per channel, and what the gateway holds per forward is bounded by the client's
/// channel window one way and <see cref="TargetTunnel.TargetWindow"/> the other. A side's end of data is passed on (EOF) and
/// the other direction keeps going, as TCP half-close does.
/// </summary>
public static class ForwardRelay
{
    /// <summary>What one read takes from a side: two SSH packets' worth, so a full packet is never split across reads.</summary>
    private const int ChunkSize = 64 * 1024;

    public static async Task<RelayOutcome> RunAsync(SshChannel client, TargetTunnel target)
    {
        var first = new TaskCompletionSource<ForwardingEndReason>(TaskCreationOptions.RunContinuationsAsynchronously);
        // Once the target closed its channel nothing more can reach it: stop waiting for the client then.
        using var targetGone = CancellationTokenSource.CreateLinkedTokenSource(client.Closed);
        _ = target.Closed.ContinueWith(_ => CancelQuietly(targetGone), TaskScheduler.Default);

        var upload = Upload(client, target, first, targetGone.Token);
        var (toClient, downloadFailed) = await DownloadAsync(client, target, first);
        if (client.Closed.IsCancellationRequested || downloadFailed)
        {
            // The client is gone, or the target's side failed: release the target now, which also ends a send waiting for
            // the target's window and the upload's wait for the client (a failed tunnel used to wait for the client's end).
            target.Dispose();
        }

        var (fromClient, uploadFailed) = await upload;
        await CloseQuietlyAsync(client);
        target.Dispose();
        var reason = uploadFailed || downloadFailed ? ForwardingEndReason.Failed : await first.Task;
        return new RelayOutcome(fromClient, toClient, reason);
    }

    /// <summary>
    /// SSH.NET's send is synchronous (it encrypts and writes under its session's lock, and waits for the target's window
    /// on a wait handle), so the client's bytes go to the target from a thread of the forward's own: blocked on the pool,
    /// each forward would take a pool thread from the gateway's connections and leave them waiting for the pool to grow.
    /// </summary>
    private static Task<(long Bytes, bool Failed)> Upload(SshChannel client, TargetTunnel target, TaskCompletionSource<ForwardingEndReason> first,
        CancellationToken stop)
    {
        var done = new TaskCompletionSource<(long, bool)>(TaskCreationOptions.RunContinuationsAsynchronously);
        new Thread(() =>
        {
            try
            {
                done.SetResult(Upload(client, target, first, stop, new byte[ChunkSize]));
            }
            catch (Exception e)
            {
                // Unhandled on a thread of its own it would end the process; the relay's caller sees it instead.
                done.SetException(e);
            }
        }) { IsBackground = true, Name = "forward upload" }.Start();
        return done.Task;
    }

    private static (long Bytes, bool Failed) Upload(SshChannel client, TargetTunnel target, TaskCompletionSource<ForwardingEndReason> first,
        CancellationToken stop, byte[] buffer)
    {
        long bytes = 0;
        try
        {
            int read;
            while ((read = ReadWaiting(client, buffer, stop)) > 0)
            {
                // Blocks while the target's window is full; the client's window is not reopened meanwhile.
                target.Send(buffer, read);
                bytes += read;
            }

            first.TrySetResult(ForwardingEndReason.ClientClosed);
            target.SendEof();
            return (bytes, false);
        }
        catch (OperationCanceledException)
        {
            // The client closed the channel, or the target closed its own: whoever did it first ended the forward.
            first.TrySetResult(target.Closed.IsCompleted ? ForwardingEndReason.TargetClosed : ForwardingEndReason.ClientClosed);
            return (bytes, false);
        }
        catch (Exception e) when (e is SshException or ObjectDisposedException or InvalidOperationException or System.Net.Sockets.SocketException)
        {
            first.TrySetResult(ForwardingEndReason.Failed);
            return (bytes, !target.Closed.IsCompleted);
        }
    }

    /// <summary>Data already queued is taken at once; otherwise the forward's thread waits for the client.</summary>
    private static int ReadWaiting(SshChannel client, byte[] buffer, CancellationToken stop)
    {
        var reading = client.ReadAsync(buffer, stop);
        return reading.IsCompletedSuccessfully ? reading.Result : reading.AsTask().GetAwaiter().GetResult();
    }

    private static async Task<(long Bytes, bool Failed)> DownloadAsync(SshChannel client, TargetTunnel target, TaskCompletionSource<ForwardingEndReason> first)
    {
        // The target's packets are copied into whole chunks: written as they lie in the buffer, each buffer segment
        // would go to the client as a packet of its own.
        var chunk = new byte[ChunkSize];
        long bytes = 0;
        try
        {
            while (true)
            {
                var result = await target.FromTarget.ReadAsync(client.Closed);
                var available = result.Buffer;
                while (!available.IsEmpty)
                {
                    var count = (int)Math.Min(available.Length, chunk.Length);
                    available.Slice(0, count).CopyTo(chunk);
                    available = available.Slice(count);
                    await client.WriteAsync(chunk.AsMemory(0, count), client.Closed);
                    // Only now, with the bytes in the client's window, may the target send as many more.
                    target.Taken(count);
                    bytes += count;
                }

                target.FromTarget.AdvanceTo(result.Buffer.End);
                if (result.IsCompleted)
                {
                    break;
                }
            }

            first.TrySetResult(ForwardingEndReason.TargetClosed);
            await client.SendEofAsync(client.Closed);
            return (bytes, false);
        }
        catch (Exception e) when (e is InvalidDataException or TargetLostException)
        {
            // The target sent past the window it was given (this tunnel ends, its target connection's other channels go on),
            // or the target connection was lost.
            first.TrySetResult(ForwardingEndReason.Failed);
            return (bytes, true);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException or InvalidOperationException
                                      or System.Net.Sockets.SocketException)
        {
            // The client closed the channel or its connection (and the tunnel was released): nothing more can reach it.
            first.TrySetResult(ForwardingEndReason.ClientClosed);
            return (bytes, false);
        }
    }

    /// <summary>The gateway ends a forward as its sides would: closing both ends the relay, which then says how it went.</summary>
    public static void CloseBoth(SshChannel client, TargetTunnel target)
    {
        target.Dispose();
        _ = client.CloseAsync().AsTask().ContinueWith(t => _ = t.Exception, TaskScheduler.Default);
    }

    private static void CancelQuietly(CancellationTokenSource source)
    {
        try
        {
            source.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The relay already ended.
        }
    }

    private static async Task CloseQuietlyAsync(SshChannel channel)
    {
        try
        {
            await channel.CloseAsync();
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException or System.Net.Sockets.SocketException)
        {
            // The connection is already gone.
        }
    }
}
