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
/// window over (<see cref="Binding.TakeOverWindow"/>): SSH.NET sends no adjust of its own, the target gets
/// <see cref="TargetWindow"/> bytes, the handler only copies them into the buffer, and the window reopens
/// (SSH_MSG_CHANNEL_WINDOW_ADJUST) only as the relay hands bytes on to the client (<see cref="Taken"/>). A client that
/// stops reading stops its own tunnel at the target; what waits in the gateway is at most <see cref="TargetWindow"/>.
/// </para>
/// </summary>
public sealed class TargetTunnel : IDisposable
{
    /// <summary>
    /// The window the target is given (OpenSSH's own for TCP forwards; SSH.NET's default is 2 GiB), which is also the most
    /// of its data that waits in the gateway for the client, per tunnel.
    /// </summary>
    public const uint TargetWindow = 2 * 1024 * 1024;

    private static readonly Lazy<(Binding? Binding, string? Problem)> Bindings = new(Binding.Bind);

    private static Binding Bound => Bindings.Value.Binding ?? throw new InvalidOperationException(Unavailable);

    private readonly object _channel;
    private readonly TunnelWindow _window = new(TargetWindow);

    // Never pauses: the window bounds what the target can put in.
    private readonly Pipe _fromTarget = new(new PipeOptions(pauseWriterThreshold: 0, useSynchronizationContext: false));
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<string?> _opened = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<(EventInfo Event, Delegate Handler)> _subscriptions = [];
    private readonly object _writing = new();
    private bool _writerDone;
    private int _disposed;

    private TargetTunnel(object channel)
    {
        _channel = channel;
        Listen(Bound.DataReceivedEvent, OnData);
        Listen(Bound.EndOfDataEvent, _ => EndOfData());
        Listen(Bound.ClosedEvent, _ =>
        {
            EndOfData();
            _opened.TrySetResult("the target closed the channel");
            _closed.TrySetResult();
        });
        Listen(Bound.OpenConfirmedEvent, _ => _opened.TrySetResult(null));
        Listen(Bound.OpenFailedEvent, e => _opened.TrySetResult(Bound.Description(e) is { Length: > 0 } reason ? reason : "the target did not open the connection"));
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

        var session = Bound.Session(client);
        TargetTunnel tunnel;
        try
        {
            tunnel = new TargetTunnel(Bound.CreateChannelDirectTcpip(session));
            Bound.SetWindow(tunnel._channel, TargetWindow);
            // Taken over before the open goes out: the target may answer and send a window's worth at once, and SSH.NET
            // would otherwise reopen the window itself for what arrives before (seen: the tunnel then refused the excess).
            var packetSize = Bound.PacketSize(tunnel._channel);
            Bound.TakeOverWindow(tunnel._channel);
            // RFC 4254 §7.2 wants the originator's IP address; what the client claimed goes on only if it is one.
            Bound.SendOpen(tunnel._channel, host, port, IPAddress.TryParse(originatorAddress, out var originator) ? originator.ToString() : "0.0.0.0",
                originatorPort, packetSize);
        }
        catch (Exception e) when (e is SshException or System.Net.Sockets.SocketException or ObjectDisposedException or InvalidOperationException)
        {
            throw new TargetConnectionException($"the target's connection failed: {e.Message}", Contracts.SessionRefusalReason.TargetUnreachable);
        }

        try
        {
            var refusal = await tunnel._opened.Task.WaitAsync(client.ConnectionInfo.Timeout, cancellationToken);
            if (refusal is not null || !Bound.IsOpen(tunnel._channel))
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
    /// Sends data to the destination; blocks while the target's window is full, which holds the client back. SSH.NET
    /// offers no asynchronous send: call it from a thread of the caller's own, not the pool's.
    /// </summary>
    public void Send(byte[] data, int count) => Bound.SendData(_channel, data, 0, count);

    /// <summary>Tells the destination the client will send no more; what it still sends keeps arriving.</summary>
    public void SendEof() => Bound.SendEof(_channel);

    /// <summary>What the gateway holds of the destination's data that the client has not taken yet (at most <see cref="TargetWindow"/>).</summary>
    public long Buffered => _window.Buffered;

    /// <summary>
    /// The relay handed <paramref name="count"/> bytes of <see cref="FromTarget"/> on to the client: the target's window
    /// reopens by as much (in steps of <see cref="TunnelWindow.GrantThreshold"/>). A channel already closed needs none.
    /// </summary>
    public void Taken(int count)
    {
        var grant = _window.Taken(count);
        if (grant == 0 || Volatile.Read(ref _disposed) != 0)
        {
            return;
        }

        try
        {
            Bound.AdjustWindow(_channel, grant);
        }
        catch (Exception e) when (e is SshException or ObjectDisposedException or InvalidOperationException or System.Net.Sockets.SocketException)
        {
            // The target connection is gone: the relay learns it from the channel's close.
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _fromTarget.Reader.Complete();
        foreach (var (evt, handler) in _subscriptions)
        {
            Bound.Unsubscribe(_channel, evt, handler);
        }

        _opened.TrySetResult("the tunnel was closed");
        _closed.TrySetResult();
        try
        {
            ((IDisposable)_channel).Dispose();
        }
        catch (Exception e) when (e is SshException or ObjectDisposedException or InvalidOperationException or System.Net.Sockets.SocketException)
        {
            // The target connection is already gone.
        }

        EndOfData();
    }

    /// <summary>
    /// Runs on SSH.NET's receive thread, which serves every channel of the target connection: copies the packet and never
    /// waits. Throwing here would end the whole target connection, so a tunnel already gone just drops what arrives, and a
    /// target that sends past its window ends this tunnel only (the relay sees the error and closes it).
    /// </summary>
    private void OnData(EventArgs e)
    {
        lock (_writing)
        {
            if (_writerDone)
            {
                return;
            }

            var data = Bound.Data(e);
            if (!_window.Received(data.Count))
            {
                _writerDone = true;
                _fromTarget.Writer.Complete(new InvalidDataException($"the target sent more than the {TargetWindow}-byte window the tunnel gave it"));
                return;
            }

            _fromTarget.Writer.Write(data);
            // Completes at once: the pipe never pauses its writer.
            _fromTarget.Writer.FlushAsync().GetAwaiter().GetResult();
        }
    }

    private void EndOfData()
    {
        lock (_writing)
        {
            if (!_writerDone)
            {
                _writerDone = true;
                _fromTarget.Writer.Complete();
            }
        }
    }

    private void Listen(EventInfo evt, Action<EventArgs> heard) => _subscriptions.Add((evt, Bound.Subscribe(_channel, evt, heard)));

    /// <summary>The compiled calls into SSH.NET's internal direct-tcpip channel.</summary>
    private sealed class Binding
    {
        private static readonly Assembly SshNet = typeof(SshClient).Assembly;

        /// <summary>The binding, or why this SSH.NET build does not allow it.</summary>
        public static (Binding? Binding, string? Problem) Bind()
        {
            try
            {
                return (new Binding(), null);
            }
            catch (InvalidOperationException e)
            {
                return (null, e.Message);
            }
            catch (Exception e) when (e is ArgumentException or AmbiguousMatchException)
            {
                // A member is there but not of the shape compiled against.
                return (null, $"SSH.NET {SshNet.GetName().Version} is not built as port forwarding expects ({e.Message}); pin the SSH.NET version it was built for");
            }
        }

        private Binding()
        {
            var sessionType = Type("Renci.SshNet.ISession");
            var channel = Type("Renci.SshNet.Channels.IChannel");
            var channelClass = Type("Renci.SshNet.Channels.Channel");
            var clientChannel = Type("Renci.SshNet.Channels.ClientChannel");
            var property = typeof(BaseClient).GetProperty("Session", BindingFlags.Instance | BindingFlags.NonPublic) ?? throw Missing("BaseClient.Session");
            var client = Expression.Parameter(typeof(BaseClient));
            Session = Expression.Lambda<Func<BaseClient, object>>(Expression.Convert(Expression.Property(client, property), typeof(object)), client).Compile();
            CreateChannelDirectTcpip = Call<Func<object, object>>(sessionType, "CreateChannelDirectTcpip");
            IsOpen = Call<Func<object, bool>>(channel, "IsOpen", property: true);
            var guarded = new GuardedSends(channelClass);
            SendData = guarded.SendData;
            SendEof = guarded.SendEof;
            SendOpen = OpenMessage(channelClass, clientChannel);
            var initialWindow = channelClass.GetField("_initialWindowSize", BindingFlags.Instance | BindingFlags.NonPublic)
                                ?? throw Missing("Channel._initialWindowSize");
            var localWindow = channelClass.GetProperty("LocalWindowSize")?.GetSetMethod(nonPublic: true) ?? throw Missing("Channel.LocalWindowSize");
            // Before the open message: SSH.NET reopens the window to its initial size, and the message offers LocalWindowSize.
            SetWindow = (channel, size) =>
            {
                initialWindow.SetValue(channel, size);
                localWindow.Invoke(channel, [size]);
            };
            TakeOverWindow = WindowTakeOver(channelClass);
            var packetSize = channelClass.GetProperty("LocalPacketSize") ?? throw Missing("Channel.LocalPacketSize");
            PacketSize = LambdaOf<Func<object, uint>>(channelClass, c => Expression.Property(c, packetSize));
            AdjustWindow = guarded.AdjustWindow;
            DataReceivedEvent = channel.GetEvent("DataReceived") ?? throw Missing("IChannel.DataReceived");
            EndOfDataEvent = channelClass.GetEvent("EndOfData") ?? throw Missing("Channel.EndOfData");
            ClosedEvent = channel.GetEvent("Closed") ?? throw Missing("IChannel.Closed");
            OpenConfirmedEvent = clientChannel.GetEvent("OpenConfirmed") ?? throw Missing("ClientChannel.OpenConfirmed");
            OpenFailedEvent = clientChannel.GetEvent("OpenFailed") ?? throw Missing("ClientChannel.OpenFailed");
            _description = Type("Renci.SshNet.Common.ChannelOpenFailedEventArgs").GetProperty("Description") ?? throw Missing("ChannelOpenFailedEventArgs.Description");
            Data = ArgsGetter<ArraySegment<byte>>("Renci.SshNet.Common.ChannelDataEventArgs", "Data");
        }

        private readonly PropertyInfo _description;

        public EventInfo DataReceivedEvent { get; }
        public EventInfo EndOfDataEvent { get; }
        public EventInfo ClosedEvent { get; }
        public EventInfo OpenConfirmedEvent { get; }

        /// <summary>The target refused the channel: SSH.NET keeps its reason to itself otherwise.</summary>
        public EventInfo OpenFailedEvent { get; }

        public Func<BaseClient, object> Session { get; }
        public Func<object, object> CreateChannelDirectTcpip { get; }
        public Func<object, bool> IsOpen { get; }
        public Action<object, byte[], int, int> SendData { get; }
        public Action<object> SendEof { get; }
        public Func<EventArgs, ArraySegment<byte>> Data { get; }
        public Action<object, uint> SetWindow { get; }

        /// <summary>Before the open message: SSH.NET sends no window adjust of its own on this channel from then on.</summary>
        public Action<object> TakeOverWindow { get; }

        /// <summary>The largest packet the channel takes, offered in the open message (read before the window is taken over).</summary>
        public Func<object, uint> PacketSize { get; }

        /// <summary>(channel, bytes): sends SSH_MSG_CHANNEL_WINDOW_ADJUST unless the channel's close has been sent.</summary>
        public Action<object, uint> AdjustWindow { get; }

        /// <summary>
        /// (channel, host, port, originator address, originator port, packet size): sends SSH_MSG_CHANNEL_OPEN "direct-tcpip"
        /// (RFC 4254 §7.2).
        /// </summary>
        public Action<object, string, uint, string, uint, uint> SendOpen { get; }

        public string? Description(EventArgs e) => (string?)_description.GetValue(e);

        public Delegate Subscribe(object channel, EventInfo evt, Action<EventArgs> heard)
        {
            EventHandler<EventArgs> handler = (_, e) => heard(e);
            var typed = Delegate.CreateDelegate(evt.EventHandlerType!, handler.Target, handler.Method);
            evt.AddMethod!.Invoke(channel, [typed]);
            return typed;
        }

        public void Unsubscribe(object channel, EventInfo evt, Delegate handler) => evt.RemoveMethod!.Invoke(channel, [handler]);

        private static Type Type(string name) => SshNet.GetType(name) ?? throw Missing(name);

        private static InvalidOperationException Missing(string what) =>
            new($"SSH.NET {SshNet.GetName().Version} lacks {what}, which port forwarding binds to; pin the SSH.NET version it was built for");

        /// <summary>
        /// Compiles "(channel, host, port, address, originatorPort) => ((ClientChannel)channel).SendMessage(new ChannelOpenMessage(
        /// channel.LocalChannelNumber, channel.LocalWindowSize, channel.LocalPacketSize, new DirectTcpipChannelInfo(...)))",
        /// which is what SSH.NET's own Open sends, without its socket.
        /// </summary>
        private static Action<object, string, uint, string, uint, uint> OpenMessage(Type channelClass, Type clientChannel)
        {
            var openMessage = Type("Renci.SshNet.Messages.Connection.ChannelOpenMessage");
            var openInfo = Type("Renci.SshNet.Messages.Connection.ChannelOpenInfo");
            var directTcpip = Type("Renci.SshNet.Messages.Connection.DirectTcpipChannelInfo");
            var infoConstructor = directTcpip.GetConstructor([typeof(string), typeof(uint), typeof(string), typeof(uint)])
                                  ?? throw Missing("DirectTcpipChannelInfo(host, port, originator address, originator port)");
            var messageConstructor = openMessage.GetConstructor([typeof(uint), typeof(uint), typeof(uint), openInfo])
                                     ?? throw Missing("ChannelOpenMessage(channel, window, packet size, info)");
            var send = clientChannel.GetMethod("SendMessage", BindingFlags.Instance | BindingFlags.NonPublic, [openMessage])
                       ?? throw Missing("ClientChannel.SendMessage(ChannelOpenMessage)");
            var parameters = new[]
            {
                Expression.Parameter(typeof(object)), Expression.Parameter(typeof(string)), Expression.Parameter(typeof(uint)),
                Expression.Parameter(typeof(string)), Expression.Parameter(typeof(uint)), Expression.Parameter(typeof(uint)),
            };
            var channel = Expression.Convert(parameters[0], channelClass);
            PropertyInfo Property(string name) => channelClass.GetProperty(name) ?? throw Missing($"Channel.{name}");
            var message = Expression.New(messageConstructor,
                Expression.Property(channel, Property("LocalChannelNumber")),
                Expression.Property(channel, Property("LocalWindowSize")),
                parameters[5],
                Expression.New(infoConstructor, parameters[1], parameters[2], parameters[3], parameters[4]));
            var body = Expression.Call(Expression.Convert(parameters[0], clientChannel), send, message);
            return Expression.Lambda<Action<object, string, uint, string, uint, uint>>(body, parameters).Compile();
        }

        /// <summary>
        /// SSH.NET reopens a channel's window as each packet arrives, before it raises DataReceived
        /// ("LocalWindowSize -= count; if (LocalWindowSize &lt; LocalPacketSize) send adjust"). With LocalPacketSize 0 that
        /// test is never true (the size is unsigned), and SSH.NET reads LocalPacketSize for nothing else on this channel
        /// (the open message offers the real one, read before).
        /// </summary>
        private static Action<object> WindowTakeOver(Type channelClass)
        {
            var packetSize = channelClass.GetProperty("LocalPacketSize")?.GetSetMethod(nonPublic: true) ?? throw Missing("Channel.LocalPacketSize setter");
            if (channelClass.GetMethod("AdjustDataWindow", BindingFlags.Instance | BindingFlags.NonPublic, [typeof(int)]) is null)
            {
                throw Missing("Channel.AdjustDataWindow(int), whose window reopening a tunnel turns off");
            }

            var channel = Expression.Parameter(typeof(object));
            return Expression.Lambda<Action<object>>(
                Expression.Call(Expression.Convert(channel, channelClass), packetSize, Expression.Constant(0u)), channel).Compile();
        }

        /// <summary>
        /// Sends SSH.NET messages on the channel as its own Close does: under its messaging lock, and only while the channel's
        /// close has not gone out. OpenSSH disconnects on a message for a channel it has freed ("ieof packet referred to
        /// nonexistent channel"), which ends every channel of the connection; SSH.NET's own SendEof and SendData check that
        /// the channel is open before they take the lock (or without it), so an end of data or the client's bytes could
        /// follow a close the target had just asked for (seen with connections to a forwarded port hung up at once).
        /// </summary>
        private sealed class GuardedSends
        {
            private const BindingFlags Private = BindingFlags.Instance | BindingFlags.NonPublic;
            private readonly Func<object, Lock> _lockOf;
            private readonly Func<object, bool> _closing;
            private readonly Func<object, uint> _remoteNumber;
            private readonly Action<object, Renci.SshNet.Messages.Message> _send;
            private readonly Action<object> _markEofSent;
            private readonly Func<object, int, int> _waitForWindow;

            public GuardedSends(Type channelClass)
            {
                var messagingLock = channelClass.GetField("_messagingLock", Private) is { FieldType: var lockType } found && lockType == typeof(Lock)
                    ? found
                    : throw Missing("Channel._messagingLock (a Lock)");
                var closeSent = channelClass.GetField("_closeMessageSent", Private) is { FieldType: var flagType } flag && flagType == typeof(bool)
                    ? flag
                    : throw Missing("Channel._closeMessageSent");
                var eofSent = channelClass.GetField("_eofMessageSent", Private) is { FieldType: var eofType } eof && eofType == typeof(bool)
                    ? eof
                    : throw Missing("Channel._eofMessageSent");
                var send = channelClass.GetMethod("SendMessage", Private, [typeof(Renci.SshNet.Messages.Message)])
                           ?? throw Missing("Channel.SendMessage(Message)");
                // Waits for the target's window and takes the returned length from it, as SSH.NET's SendData does.
                var window = channelClass.GetMethod("GetDataLengthThatCanBeSentInMessage", Private, [typeof(int)]) is { ReturnType: var returned } length
                             && returned == typeof(int)
                    ? length
                    : throw Missing("Channel.GetDataLengthThatCanBeSentInMessage(int)");
                var isOpen = channelClass.GetProperty("IsOpen") ?? throw Missing("Channel.IsOpen");
                var remoteNumber = channelClass.GetProperty("RemoteChannelNumber") ?? throw Missing("Channel.RemoteChannelNumber");

                _lockOf = LambdaOf<Func<object, Lock>>(channelClass, c => Expression.Field(c, messagingLock));
                _closing = LambdaOf<Func<object, bool>>(channelClass, c => Expression.OrElse(Expression.Field(c, closeSent), Expression.Not(Expression.Property(c, isOpen))));
                _remoteNumber = LambdaOf<Func<object, uint>>(channelClass, c => Expression.Property(c, remoteNumber));
                var channel = Expression.Parameter(typeof(object));
                var message = Expression.Parameter(typeof(Renci.SshNet.Messages.Message));
                _send = Expression.Lambda<Action<object, Renci.SshNet.Messages.Message>>(
                    Expression.Call(Expression.Convert(channel, channelClass), send, message), channel, message).Compile();
                _markEofSent = Expression.Lambda<Action<object>>(
                    Expression.Assign(Expression.Field(Expression.Convert(channel, channelClass), eofSent), Expression.Constant(true)), channel).Compile();
                var wanted = Expression.Parameter(typeof(int));
                _waitForWindow = Expression.Lambda<Func<object, int, int>>(
                    Expression.Call(Expression.Convert(channel, channelClass), window, wanted), channel, wanted).Compile();
            }

            /// <summary>SSH_MSG_CHANNEL_WINDOW_ADJUST, unless the channel is closing.</summary>
            public void AdjustWindow(object channel, uint bytes) =>
                Send(channel, new Renci.SshNet.Messages.Connection.ChannelWindowAdjustMessage(_remoteNumber(channel), bytes));

            /// <summary>SSH_MSG_CHANNEL_EOF, once, unless the channel is closing (SSH.NET's Close then sends none of its own).</summary>
            public void SendEof(object channel)
            {
                using (_lockOf(channel).EnterScope())
                {
                    if (!_closing(channel))
                    {
                        _send(channel, new Renci.SshNet.Messages.Connection.ChannelEofMessage(_remoteNumber(channel)));
                        _markEofSent(channel);
                    }
                }
            }

            /// <summary>The bytes in packets the target's window allows, waiting for it; stops when the channel is closing.</summary>
            public void SendData(object channel, byte[] data, int offset, int count)
            {
                while (count > 0)
                {
                    var length = _waitForWindow(channel, count);
                    if (!Send(channel, new Renci.SshNet.Messages.Connection.ChannelDataMessage(_remoteNumber(channel), data, offset, length)))
                    {
                        return;
                    }

                    offset += length;
                    count -= length;
                }
            }

            private bool Send(object channel, Renci.SshNet.Messages.Message message)
            {
                using (_lockOf(channel).EnterScope())
                {
                    if (_closing(channel))
                    {
                        return false;
                    }

                    _send(channel, message);
                    return true;
                }
            }
        }

        private static TDelegate LambdaOf<TDelegate>(Type owner, Func<Expression, Expression> body) where TDelegate : Delegate
        {
            var parameter = Expression.Parameter(typeof(object));
            return Expression.Lambda<TDelegate>(body(Expression.Convert(parameter, owner)), parameter).Compile();
        }

        private static Func<EventArgs, T> ArgsGetter<T>(string argsType, string property)
        {
            var args = Expression.Parameter(typeof(EventArgs));
            var typed = Expression.Convert(args, Type(argsType));
            return Expression.Lambda<Func<EventArgs, T>>(Expression.Convert(Expression.Property(typed, property), typeof(T)), args).Compile();
        }

        /// <summary>Compiles "(object target, args...) => ((Interface)target).Member(args...)" for an internal interface.</summary>
        private static TDelegate Call<TDelegate>(Type owner, string name, Type[]? parameterTypes = null, bool property = false) where TDelegate : Delegate
        {
            var invoke = typeof(TDelegate).GetMethod("Invoke")!;
            var parameters = invoke.GetParameters().Select(p => Expression.Parameter(p.ParameterType)).ToArray();
            var target = Expression.Convert(parameters[0], owner);
            Expression body;
            if (property)
            {
                body = Expression.Property(target, owner.GetProperty(name) ?? throw Missing($"{owner.Name}.{name}"));
            }
            else
            {
                var method = (parameterTypes is null ? owner.GetMethods().SingleOrDefault(m => m.Name == name) : owner.GetMethod(name, parameterTypes))
                             ?? throw Missing($"{owner.Name}.{name}");
                body = Expression.Call(target, method,
                    method.GetParameters().Select((p, i) => (Expression)Expression.Convert(parameters[i + 1], p.ParameterType)));
            }

            if (invoke.ReturnType != typeof(void) && body.Type != invoke.ReturnType)
            {
                body = Expression.Convert(body, invoke.ReturnType);
            }

            return Expression.Lambda<TDelegate>(body, parameters).Compile();
        }
    }
}
