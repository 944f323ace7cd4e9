using System.Net.Sockets;
using Gatehouse.Contracts;
using Gatehouse.Ssh;

namespace Gatehouse.SessionBroker.Sessions.Forwarding;

/// <summary>
/// Copies a connection that arrived at a remote forward's port (the gateway's end of it, a loopback socket SSH.NET feeds
/// from the target) to its forwarded-tcpip channel and back, as <see cref="ForwardRelay"/> does for a local forward: each
/// direction waits for the other side to take what it has, and a side's end of data is passed on as a half-close.
/// </summary>
public static class RemoteConnectionRelay
{
    private const int BufferSize = 32 * 1024;

    /// <summary>Runs until both directions ended; <paramref name="ended"/> (the gateway ending the forward) closes both sides at once.</summary>
    public static async Task<RelayOutcome> RunAsync(SshChannel client, Socket target, CancellationToken ended)
    {
        var first = new TaskCompletionSource<ForwardingEndReason>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using (ended.Register(() => CloseBoth(client, target)))
        {
            var toTarget = Task.Run(() => ToTargetAsync(client, target, first));
            var toClient = await ToClientAsync(client, target, first);
            var fromClient = await toTarget;
            CloseBoth(client, target);
            return new RelayOutcome(fromClient, toClient, await first.Task);
        }
    }

    private static async Task<long> ToTargetAsync(SshChannel client, Socket target, TaskCompletionSource<ForwardingEndReason> first)
    {
        var buffer = new byte[BufferSize];
        long bytes = 0;
        try
        {
            int read;
            while ((read = await client.ReadAsync(buffer, client.Closed)) > 0)
            {
                // The client's window reopens only as this is taken, which holds it back while the target is slow.
                await target.SendAsync(buffer.AsMemory(0, read), SocketFlags.None);
                bytes += read;
            }

            first.TrySetResult(ForwardingEndReason.ClientClosed);
            target.Shutdown(SocketShutdown.Send);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException or SocketException)
        {
            first.TrySetResult(ForwardingEndReason.ClientClosed);
        }

        return bytes;
    }

    private static async Task<long> ToClientAsync(SshChannel client, Socket target, TaskCompletionSource<ForwardingEndReason> first)
    {
        var buffer = new byte[BufferSize];
        long bytes = 0;
        try
        {
            int read;
            while ((read = await target.ReceiveAsync(buffer, SocketFlags.None)) > 0)
            {
                await client.WriteAsync(buffer.AsMemory(0, read), client.Closed);
                bytes += read;
            }

            first.TrySetResult(ForwardingEndReason.TargetClosed);
            await client.SendEofAsync(client.Closed);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException or SocketException)
        {
            first.TrySetResult(client.Closed.IsCancellationRequested ? ForwardingEndReason.ClientClosed : ForwardingEndReason.TargetClosed);
        }

        return bytes;
    }

    private static void CloseBoth(SshChannel client, Socket target)
    {
        target.Dispose();
        _ = client.CloseAsync().AsTask().ContinueWith(t => _ = t.Exception, TaskScheduler.Default);
    }
}
