using System.Net.Sockets;

namespace Gatehouse.Ssh.Tests.TestGateway;

internal static class Relay
{
    /// <summary>Copies the channel into <paramref name="destination"/> until the client sends EOF.</summary>
    public static async Task ChannelToAsync(SshChannel channel, Stream destination)
    {
        var buffer = new byte[32 * 1024];
        try
        {
            int read;
            while ((read = await channel.ReadAsync(buffer, channel.Closed)) > 0)
            {
                await destination.WriteAsync(buffer.AsMemory(0, read));
                await destination.FlushAsync();
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException)
        {
        }
        finally
        {
            try
            {
                destination.Close();
            }
            catch (IOException)
            {
            }
        }
    }

    /// <summary>Copies <paramref name="source"/> to the channel's stdout or stderr until end of stream.</summary>
    public static async Task ToChannelAsync(Stream source, SshChannel channel, bool stderr)
    {
        var buffer = new byte[32 * 1024];
        try
        {
            int read;
            while ((read = await source.ReadAsync(buffer, channel.Closed)) > 0)
            {
                if (stderr) await channel.WriteErrorAsync(buffer.AsMemory(0, read), channel.Closed);
                else await channel.WriteAsync(buffer.AsMemory(0, read), channel.Closed);
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException)
        {
        }
    }

    /// <summary>
    /// Copies a pty master to the channel on a thread of its own: asynchronous reads of a terminal
    /// through FileStream stalled under load, blocking reads do not.
    /// </summary>
    public static Task TerminalToChannelAsync(Stream terminal, SshChannel channel) => Task.Factory.StartNew(() =>
    {
        var buffer = new byte[32 * 1024];
        try
        {
            int read;
            while ((read = terminal.Read(buffer)) > 0)
            {
                channel.WriteAsync(buffer.AsMemory(0, read), channel.Closed).AsTask().GetAwaiter().GetResult();
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException)
        {
            // EIO once the child is gone is the terminal's end of stream.
        }
    }, TaskCreationOptions.LongRunning);

    public static async Task PumpAsync(TcpClient client, SshChannel channel)
    {
        using (client)
        {
            var stream = client.GetStream();
            var inbound = ChannelToAsync(channel, new ShutdownOnClose(client));
            await ToChannelAsync(stream, channel, false);
            await channel.SendEofAsync();
            await inbound;
            await channel.CloseAsync();
        }
    }

    private sealed class ShutdownOnClose(TcpClient client) : WriteOnlyStream
    {
        public override void Write(byte[] buffer, int offset, int count) => client.GetStream().Write(buffer, offset, count);
        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) => client.GetStream().WriteAsync(buffer, cancellationToken);
        public override void Close() => client.Client.Shutdown(SocketShutdown.Send);
    }
}
