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
/// written: that is the backpressure. A side's end of data is passed on (EOF) and the other direction keeps going, as
/// TCP half-close does.
/// </summary>
public static class ForwardRelay
{
    private const int BufferSize = 32 * 1024;

    public static async Task<RelayOutcome> RunAsync(SshChannel client, TargetTunnel target)
    {
        var first = new TaskCompletionSource<ForwardingEndReason>(TaskCreationOptions.RunContinuationsAsynchronously);
        // Once the target closed its channel nothing more can reach it: stop waiting for the client then.
        using var targetGone = CancellationTokenSource.CreateLinkedTokenSource(client.Closed);
        _ = target.Closed.ContinueWith(_ => targetGone.Cancel(), TaskScheduler.Default);

        var upload = Task.Run(() => UploadAsync(client, target, first, targetGone.Token));
        var (toClient, downloadFailed) = await DownloadAsync(client, target, first);
        if (client.Closed.IsCancellationRequested)
        {
            // The client is gone: release the target now, which also ends a send waiting for the target's window.
            target.Dispose();
        }

        var (fromClient, uploadFailed) = await upload;
        await CloseQuietlyAsync(client);
        target.Dispose();
        var reason = uploadFailed || downloadFailed ? ForwardingEndReason.Failed : await first.Task;
        return new RelayOutcome(fromClient, toClient, reason);
    }

    private static async Task<(long Bytes, bool Failed)> UploadAsync(SshChannel client, TargetTunnel target,
        TaskCompletionSource<ForwardingEndReason> first, CancellationToken stop)
    {
        var buffer = new byte[BufferSize];
        long bytes = 0;
        try
        {
            int read;
            while ((read = await client.ReadAsync(buffer, stop)) > 0)
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

    private static async Task<(long Bytes, bool Failed)> DownloadAsync(SshChannel client, TargetTunnel target, TaskCompletionSource<ForwardingEndReason> first)
    {
        var buffer = new byte[BufferSize];
        long bytes = 0;
        try
        {
            int read;
            while ((read = await target.FromTarget.ReadAsync(buffer, client.Closed)) > 0)
            {
                await client.WriteAsync(buffer.AsMemory(0, read), client.Closed);
                bytes += read;
            }

            first.TrySetResult(ForwardingEndReason.TargetClosed);
            await client.SendEofAsync(client.Closed);
            return (bytes, false);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException or System.Net.Sockets.SocketException)
        {
            // The client closed the channel or its connection: nothing more can reach it.
            first.TrySetResult(ForwardingEndReason.ClientClosed);
            return (bytes, false);
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
