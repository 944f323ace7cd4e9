using System.Buffers;
using System.IO.Pipelines;
using System.Linq.Expressions;
using System.Net;
using System.Reflection;
using Renci.SshNet;
using Renci.SshNet.Common;

namespace Gatehouse.SessionBroker.Targets;

/// <summary>
/// A TCP connection the target opens to a destination for the gateway: a "direct-tcpip" channel on the gateway's SSH
/// connection to the target, as "ssh -L" on the target itself would, so the target's network position is what counts.
/// Or one that arrived at a port the target listens on for the gateway (ssh -R): a "forwarded-tcpip" channel the target
/// opened, taken with <see cref="Accept"/>. Both carry data the same way.
/// <para>
/// SSH.NET opens such channels only through a ForwardedPortLocal: its channel type is internal and its Open wants a
/// socket, into which its receive thread then writes what the target sends (one more loopback hop, two more system
/// calls and a kernel copy per packet). This binds to the channel by reflection instead (as <see cref="TargetChannel"/>
/// does, checked at startup), sends the open message itself with the client's own originator, and takes the target's
/// bytes from the channel's DataReceived event, which SSH.NET raises before it would write to a socket (it has none here).
/// </para>
/// <para>
/// Flow control is the SSH window, per channel. SSH.NET raises a channel's data on the one receive thread that serves
/// every channel of the target connection, after it has already reopened the window: blocking that thread to hold a
/// tunnel back would freeze the user's shell, commands, sftp and other forwards with it. So this channel takes the
/// window over (<see cref="ChannelInternals.TakeOverWindow"/>): SSH.NET sends no adjust of its own, the target gets
/// <see cref="TargetWindow"/> bytes, the handler only copies them into the buffer, and the window reopens
/// (SSH_MSG_CHANNEL_WINDOW_ADJUST) only as the relay hands bytes on to the client (<see cref="Taken"/>). A client that
/// stops reading stops its own tunnel at the target; what waits in the gateway is at most <see cref="TargetWindow"/>.
/// </para>
/// </summary>
public sealed class TargetTunnel : WindowedChannel
{
    /// <summary>
    /// The window the target is given (OpenSSH's own for TCP forwards; SSH.NET's default is 2 GiB), which is also the most
    /// of its data that waits in the gateway for the client, per tunnel.
    /// </summary>
    public const uint TargetWindow = 2 * 1024 * 1024;

    private static readonly Lazy<(Binding? Binding, string? Problem)> Bindings = new(Binding.Bind);

    private static Binding Bound => Bindings.Value.Binding ?? throw new InvalidOperationException(Unavailable);

    // Never pauses: the window bounds what the target can put in.
    private readonly Pipe _fromTarget = new(new PipeOptions(pauseWriterThreshold: 0, useSynchronizationContext: false));
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<string?> _opened = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private TargetTunnel(Session connection, object channel) : base(Bound.Channel, connection, channel, TargetWindow, "tunnel")
    {
    }

    /// <summary>Completes when the target closed the channel (after its end of data, or because its connection failed).</summary>
    public Task Closed => _closed.Task;

    /// <summary>
    /// What the destination sends, as SSH.NET received it; completes when the target sends EOF or closes the channel, and
    /// throws <see cref="InvalidDataException"/> when the target broke the window. Report what was handed on with <see cref="Taken"/>.
    /// </summary>
    public PipeReader FromTarget => _fromTarget.Reader;

    /// <summary>
    /// Why this SSH.NET build cannot carry tunnels (it lacks what they bind to, their flow control above all); null when it
    /// can. Checked when the service starts, and forwarding is refused with this reason rather than run without its brake.
    /// </summary>
    public static string? Unavailable => Bindings.Value.Problem;

    /// <summary>
    /// Asks the target to connect to <paramref name="host"/>:<paramref name="port"/> on behalf of the client's
    /// <paramref name="originatorAddress"/>:<paramref name="originatorPort"/>, and waits for its answer without holding a
    /// thread (bounded by the connection's timeout). Throws <see cref="TargetConnectionException"/> with the target's own
    /// reason when it refuses.
    /// </summary>
    public static async Task<TargetTunnel> OpenAsync(SshClient client, string host, uint port, string originatorAddress, uint originatorPort,
        CancellationToken cancellationToken)
    {
        if (Unavailable is { } problem)
        {
            throw new TargetConnectionException(problem, Contracts.SessionRefusalReason.TargetUnreachable);
        }

        var session = Bound.Channel.Session(client);
        TargetTunnel tunnel;
        try
        {
            tunnel = new TargetTunnel(session, Bound.CreateChannelDirectTcpip(session));
            tunnel.Listen(Bound.OpenConfirmedEvent, _ => tunnel._opened.TrySetResult(null));
            tunnel.Listen(Bound.OpenFailedEvent,
                e => tunnel._opened.TrySetResult(Bound.Description(e) is { Length: > 0 } reason ? reason : "the target did not open the connection"));
            // Taken over before the open goes out: the target may answer and send a window's worth at once, and SSH.NET
            // would otherwise reopen the window itself for what arrives before (seen: the tunnel then refused the excess).
            var packetSize = tunnel.TakeOverWindow();
            // RFC 4254 §7.2 wants the originator's IP address; what the client claimed goes on only if it is one.
            Bound.SendOpen(tunnel.SshNetChannel, host, port, IPAddress.TryParse(originatorAddress, out var originator) ? originator.ToString() : "0.0.0.0",
                originatorPort, packetSize);
        }
        catch (Exception e) when (e is SshException or System.Net.Sockets.SocketException or ObjectDisposedException or InvalidOperationException)
        {
            throw new TargetConnectionException($"the target's connection failed: {e.Message}", Contracts.SessionRefusalReason.TargetUnreachable);
        }

        try
        {
            var refusal = await tunnel._opened.Task.WaitAsync(client.ConnectionInfo.Timeout, cancellationToken);
            if (refusal is not null || !Bound.Channel.IsOpen(tunnel.SshNetChannel))
            {
                throw new TargetConnectionException(refusal ?? "the target did not open the connection", Contracts.SessionRefusalReason.TargetUnreachable);
            }

            return tunnel;
        }
        catch (TimeoutException)
        {
            tunnel.Dispose();
            throw new TargetConnectionException($"the target did not answer within {client.ConnectionInfo.Timeout.TotalSeconds:0} s",
                Contracts.SessionRefusalReason.TargetUnreachable);
        }
        catch
        {
            tunnel.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Takes a connection the target opened to a port it listens on for the gateway (a "forwarded-tcpip" channel,
    /// <see cref="TargetListener"/>) with the same flow control as a tunnel the gateway opened: the channel exists (and
    /// hears its messages) and its window is taken over before the confirmation goes out, and the target may send nothing
    /// on it before that confirmation (RFC 4254 §5.1), so no byte of it can reach SSH.NET's own window handling.
    /// </summary>
    internal static TargetTunnel Accept(Renci.SshNet.Session session, Renci.SshNet.Messages.Connection.ChannelOpenMessage open)
    {
        var forwarded = ForwardedTcpipInternals.Bound;
        var tunnel = new TargetTunnel(session, forwarded.CreateChannel(session, open));
        try
        {
            forwarded.Confirm(tunnel.SshNetChannel, tunnel.TakeOverWindow());
            return tunnel;
        }
        catch
        {
            tunnel.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Sends data to the destination; blocks while the target's window is full, which holds the client back. SSH.NET
    /// offers no asynchronous send: call it from a thread of the caller's own, not the pool's.
    /// </summary>
    public void Send(byte[] data, int count) => Bound.Channel.SendData(SshNetChannel, data, 0, count);

    /// <summary>Tells the destination the client will send no more; what it still sends keeps arriving.</summary>
    public void SendEof() => Bound.Channel.SendEof(SshNetChannel);

    private protected override void Put(ArraySegment<byte> data, bool stderr)
    {
        _fromTarget.Writer.Write(data);
        // Completes at once: the pipe never pauses its writer.
        _fromTarget.Writer.FlushAsync().GetAwaiter().GetResult();
    }

    private protected override void Complete(Exception? error) => _fromTarget.Writer.Complete(error);

    private protected override void Ended()
    {
        _opened.TrySetResult("the target closed the channel");
        _closed.TrySetResult();
    }

    private protected override void Released()
    {
        _fromTarget.Reader.Complete();
        _opened.TrySetResult("the tunnel was closed");
        _closed.TrySetResult();
    }

    /// <summary>Gives the target <see cref="TargetWindow"/> and turns SSH.NET's own reopening off; returns the packet size to offer.</summary>
    private uint TakeOverWindow()
    {
        Bound.Channel.SetWindow(SshNetChannel, TargetWindow);
        var packetSize = Bound.Channel.PacketSize(SshNetChannel);
        Bound.Channel.TakeOverWindow(SshNetChannel);
        return packetSize;
    }

    /// <summary>The compiled calls into SSH.NET's internal direct-tcpip channel, beside those of every channel (<see cref="Channel"/>).</summary>
    private sealed class Binding
    {
        /// <summary>The binding, or why this SSH.NET build does not allow it.</summary>
        public static (Binding? Binding, string? Problem) Bind() => ChannelInternals.Bind(channel => new Binding(channel), "port forwarding");

        private Binding(ChannelInternals channel)
        {
            Channel = channel;
            var sessionType = ChannelInternals.Type("Renci.SshNet.ISession");
            var clientChannel = ChannelInternals.Type("Renci.SshNet.Channels.ClientChannel");
            var create = sessionType.GetMethod("CreateChannelDirectTcpip", Type.EmptyTypes) ?? throw ChannelInternals.Missing("ISession.CreateChannelDirectTcpip");
            var session = Expression.Parameter(typeof(object));
            CreateChannelDirectTcpip = Expression.Lambda<Func<object, object>>(Expression.Call(Expression.Convert(session, sessionType), create), session).Compile();
            SendOpen = OpenMessage(channel.ChannelClass, clientChannel);
            OpenConfirmedEvent = clientChannel.GetEvent("OpenConfirmed") ?? throw ChannelInternals.Missing("ClientChannel.OpenConfirmed");
            OpenFailedEvent = clientChannel.GetEvent("OpenFailed") ?? throw ChannelInternals.Missing("ClientChannel.OpenFailed");
            _description = ChannelInternals.Type("Renci.SshNet.Common.ChannelOpenFailedEventArgs").GetProperty("Description")
                           ?? throw ChannelInternals.Missing("ChannelOpenFailedEventArgs.Description");
        }

        private readonly PropertyInfo _description;

        /// <summary>What every channel to a target binds to: the window take-over and the guarded sends.</summary>
        public ChannelInternals Channel { get; }

        public EventInfo OpenConfirmedEvent { get; }

        /// <summary>The target refused the channel: SSH.NET keeps its reason to itself otherwise.</summary>
        public EventInfo OpenFailedEvent { get; }

        public Func<object, object> CreateChannelDirectTcpip { get; }

        /// <summary>
        /// (channel, host, port, originator address, originator port, packet size): sends SSH_MSG_CHANNEL_OPEN "direct-tcpip"
        /// (RFC 4254 §7.2).
        /// </summary>
        public Action<object, string, uint, string, uint, uint> SendOpen { get; }

        public string? Description(EventArgs e) => (string?)_description.GetValue(e);

        /// <summary>
        /// Compiles "(channel, host, port, address, originatorPort) => ((ClientChannel)channel).SendMessage(new ChannelOpenMessage(
        /// channel.LocalChannelNumber, channel.LocalWindowSize, channel.LocalPacketSize, new DirectTcpipChannelInfo(...)))",
        /// which is what SSH.NET's own Open sends, without its socket.
        /// </summary>
        private static Action<object, string, uint, string, uint, uint> OpenMessage(Type channelClass, Type clientChannel)
        {
            var openMessage = ChannelInternals.Type("Renci.SshNet.Messages.Connection.ChannelOpenMessage");
            var openInfo = ChannelInternals.Type("Renci.SshNet.Messages.Connection.ChannelOpenInfo");
            var directTcpip = ChannelInternals.Type("Renci.SshNet.Messages.Connection.DirectTcpipChannelInfo");
            var infoConstructor = directTcpip.GetConstructor([typeof(string), typeof(uint), typeof(string), typeof(uint)])
                                  ?? throw ChannelInternals.Missing("DirectTcpipChannelInfo(host, port, originator address, originator port)");
            var messageConstructor = openMessage.GetConstructor([typeof(uint), typeof(uint), typeof(uint), openInfo])
                                     ?? throw ChannelInternals.Missing("ChannelOpenMessage(channel, window, packet size, info)");
            var send = clientChannel.GetMethod("SendMessage", BindingFlags.Instance | BindingFlags.NonPublic, [openMessage])
                       ?? throw ChannelInternals.Missing("ClientChannel.SendMessage(ChannelOpenMessage)");
            var parameters = new[]
            {
                Expression.Parameter(typeof(object)), Expression.Parameter(typeof(string)), Expression.Parameter(typeof(uint)),
                Expression.Parameter(typeof(string)), Expression.Parameter(typeof(uint)), Expression.Parameter(typeof(uint)),
            };
            var channel = Expression.Convert(parameters[0], channelClass);
            PropertyInfo Property(string name) => channelClass.GetProperty(name) ?? throw ChannelInternals.Missing($"Channel.{name}");
            var message = Expression.New(messageConstructor,
                Expression.Property(channel, Property("LocalChannelNumber")),
                Expression.Property(channel, Property("LocalWindowSize")),
                parameters[5],
                Expression.New(infoConstructor, parameters[1], parameters[2], parameters[3], parameters[4]));
            var body = Expression.Call(Expression.Convert(parameters[0], clientChannel), send, message);
            return Expression.Lambda<Action<object, string, uint, string, uint, uint>>(body, parameters).Compile();
        }
    }
}
