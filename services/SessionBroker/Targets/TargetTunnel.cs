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
/// Flow control: SSH.NET would give the target a 2 GiB window, and sshd reads the destination into its own memory as
/// far as the window lets it; this channel offers <see cref="TargetWindow"/>, as OpenSSH does. SSH.NET reopens the window
/// as data arrives, not as it is taken, so the brake is its receive thread: when <see cref="MaxBufferedFromTarget"/>
/// bytes wait unread, the thread waits for the relay to take them, TCP stops reading the target, and the target stops
/// reading the destination. That thread serves every channel of this target connection, so the wait also ends when the
/// tunnel is disposed.
/// </para>
/// </summary>
public sealed class TargetTunnel : IDisposable
{
    /// <summary>At most this much of the target's data waits in the gateway for the client's window (per tunnel).</summary>
    public const int MaxBufferedFromTarget = 1024 * 1024;

    /// <summary>The window the target is given (OpenSSH's own for TCP forwards); SSH.NET's default is 2 GiB.</summary>
    public const uint TargetWindow = 2 * 1024 * 1024;

    private static readonly Binding Bound = new();

    private readonly object _channel;
    private readonly Pipe _fromTarget = new(new PipeOptions(pauseWriterThreshold: MaxBufferedFromTarget,
        resumeWriterThreshold: MaxBufferedFromTarget / 2, useSynchronizationContext: false));
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

    /// <summary>What the destination sends, as SSH.NET received it; completes when the target sends EOF or closes the channel.</summary>
    public PipeReader FromTarget => _fromTarget.Reader;

    /// <summary>Throws if this SSH.NET build lacks what the tunnel binds to; called when the service starts.</summary>
    public static void EnsureAvailable() => _ = Bound;

    /// <summary>
    /// Asks the target to connect to <paramref name="host"/>:<paramref name="port"/> on behalf of the client's
    /// <paramref name="originatorAddress"/>:<paramref name="originatorPort"/>, and waits for its answer without holding a
    /// thread (bounded by the connection's timeout). Throws <see cref="TargetConnectionException"/> with the target's own
    /// reason when it refuses.
    /// </summary>
    public static async Task<TargetTunnel> OpenAsync(SshClient client, string host, uint port, string originatorAddress, uint originatorPort,
        CancellationToken cancellationToken)
    {
        var session = Bound.Session(client);
        TargetTunnel tunnel;
        try
        {
            tunnel = new TargetTunnel(Bound.CreateChannelDirectTcpip(session));
            Bound.SetWindow(tunnel._channel, TargetWindow);
            // RFC 4254 §7.2 wants the originator's IP address; what the client claimed goes on only if it is one.
            Bound.SendOpen(tunnel._channel, host, port, IPAddress.TryParse(originatorAddress, out var originator) ? originator.ToString() : "0.0.0.0",
                originatorPort);
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

    /// <summary>
    /// The reader goes first: it releases SSH.NET's receive thread if it waits for room (it serves every channel of the
    /// target connection, and the channel's close with them).
    /// </summary>
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
    /// Runs on SSH.NET's receive thread: copies the packet into the bounded buffer and waits while the buffer is full.
    /// Throwing here would end the whole target connection, so a tunnel already gone just drops what arrives.
    /// </summary>
    private void OnData(EventArgs e)
    {
        ValueTask<FlushResult> flush;
        lock (_writing)
        {
            if (_writerDone)
            {
                return;
            }

            _fromTarget.Writer.Write(Bound.Data(e));
            flush = _fromTarget.Writer.FlushAsync();
        }

        if (!flush.IsCompleted)
        {
            flush.AsTask().GetAwaiter().GetResult();
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

        public Binding()
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
            SendData = Call<Action<object, byte[], int, int>>(channel, "SendData", [typeof(byte[]), typeof(int), typeof(int)]);
            SendEof = Call<Action<object>>(channel, "SendEof");
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

        /// <summary>(channel, host, port, originator address, originator port): sends SSH_MSG_CHANNEL_OPEN "direct-tcpip" (RFC 4254 §7.2).</summary>
        public Action<object, string, uint, string, uint> SendOpen { get; }

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
        private static Action<object, string, uint, string, uint> OpenMessage(Type channelClass, Type clientChannel)
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
                Expression.Parameter(typeof(string)), Expression.Parameter(typeof(uint)),
            };
            var channel = Expression.Convert(parameters[0], channelClass);
            PropertyInfo Property(string name) => channelClass.GetProperty(name) ?? throw Missing($"Channel.{name}");
            var message = Expression.New(messageConstructor,
                Expression.Property(channel, Property("LocalChannelNumber")),
                Expression.Property(channel, Property("LocalWindowSize")),
                Expression.Property(channel, Property("LocalPacketSize")),
                Expression.New(infoConstructor, parameters[1], parameters[2], parameters[3], parameters[4]));
            var body = Expression.Call(Expression.Convert(parameters[0], clientChannel), send, message);
            return Expression.Lambda<Action<object, string, uint, string, uint>>(body, parameters).Compile();
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
