using System.Linq.Expressions;
using System.Net;
using System.Net.Sockets;
using System.Reflection;
using Renci.SshNet;
using Renci.SshNet.Common;

namespace Gatehouse.SessionBroker.Targets;

/// <summary>
/// A TCP connection the target opens to a destination for the gateway: a "direct-tcpip" channel on the gateway's SSH
/// connection to the target, as "ssh -L" on the target itself would, so the target's network position is what counts.
/// <para>
/// SSH.NET opens such channels only for a ForwardedPortLocal, which listens on a local port any process here could
/// connect to. Its channel type is internal and binds to a socket, so this binds to it once by reflection (as
/// <see cref="TargetChannel"/> does, checked at startup) and hands it one end of a loopback socket pair no one else holds:
/// the target's bytes arrive on <see cref="FromTarget"/>, and bytes for the target are sent on the channel directly.
/// </para>
/// </summary>
public sealed class TargetTunnel : IDisposable
{
    private static readonly Binding Bound = new();

    private readonly object _channel;
    private readonly Socket _theirs;
    private readonly Socket _ours;
    private readonly NoListener _port = new();
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Delegate _closedHandler;
    private int _disposed;

    private TargetTunnel(object channel, Socket theirs, Socket ours)
    {
        _channel = channel;
        _theirs = theirs;
        _ours = ours;
        FromTarget = new NetworkStream(ours, ownsSocket: false);
        _closedHandler = Bound.Subscribe(channel, Bound.ClosedEvent, _ => _closed.TrySetResult());
    }

    /// <summary>Completes when the target closed the channel (after its end of data, or because its connection failed).</summary>
    public Task Closed => _closed.Task;

    /// <summary>What the destination sends; ends when the target sends EOF or closes the channel.</summary>
    public Stream FromTarget { get; }

    /// <summary>Throws if this SSH.NET build lacks what the tunnel binds to; called when the service starts.</summary>
    public static void EnsureAvailable() => _ = Bound;

    /// <summary>
    /// Asks the target to connect to <paramref name="host"/>:<paramref name="port"/>; blocks until it answers. Throws
    /// <see cref="TargetConnectionException"/> with the target's own reason when it refuses.
    /// </summary>
    public static async Task<TargetTunnel> OpenAsync(SshClient client, string host, uint port, CancellationToken cancellationToken)
    {
        var (ours, theirs) = await LoopbackPairAsync(cancellationToken);
        var channel = Bound.CreateChannelDirectTcpip(Bound.Session(client));
        var tunnel = new TargetTunnel(channel, theirs, ours);
        string? refusal = null;
        var failed = Bound.Subscribe(channel, Bound.OpenFailedEvent, e => refusal = Bound.Description(e));
        try
        {
            // Blocks for the target's answer (bounded by the connection's timeout).
            await Task.Run(() => Bound.Open(channel, host, port, tunnel._port, theirs), cancellationToken);
            if (!Bound.IsOpen(channel))
            {
                throw new TargetConnectionException(refusal is { Length: > 0 } ? refusal : "the target did not open the connection",
                    Contracts.SessionRefusalReason.TargetUnreachable);
            }

            return tunnel;
        }
        catch (Exception e) when (e is SshException or SocketException or ObjectDisposedException or InvalidOperationException)
        {
            tunnel.Dispose();
            throw new TargetConnectionException($"the target's connection failed: {e.Message}", Contracts.SessionRefusalReason.TargetUnreachable);
        }
        catch
        {
            tunnel.Dispose();
            throw;
        }
        finally
        {
            Bound.Unsubscribe(channel, Bound.OpenFailedEvent, failed);
        }
    }

    /// <summary>Sends data to the destination; blocks while the target's window is full, which holds the client back.</summary>
    public void Send(byte[] data, int count) => Bound.SendData(_channel, data, 0, count);

    /// <summary>Tells the destination the client will send no more; what it still sends keeps arriving.</summary>
    public void SendEof() => Bound.SendEof(_channel);

    /// <summary>
    /// Our end goes first: SSH.NET writes what the target sends into its end on its receive thread, which every channel
    /// of the target connection shares; with no one reading, that write would block it, and the channel's close with it.
    /// </summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        Bound.Unsubscribe(_channel, Bound.ClosedEvent, _closedHandler);
        _closed.TrySetResult();
        FromTarget.Dispose();
        _ours.Dispose();
        try
        {
            ((IDisposable)_channel).Dispose();
        }
        catch (Exception e) when (e is SshException or ObjectDisposedException or InvalidOperationException or SocketException)
        {
            // The target connection is already gone.
        }

        _theirs.Dispose();
    }

    /// <summary>
    /// Two connected loopback sockets. The listener lives only until its one expected peer arrived: anything else that
    /// connected in that moment is turned away, so no other process can reach the tunnel.
    /// </summary>
    private static async Task<(Socket Ours, Socket Theirs)> LoopbackPairAsync(CancellationToken cancellationToken)
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(4);
        var ours = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(TimeSpan.FromSeconds(10));
            var connecting = ours.ConnectAsync(listener.LocalEndPoint!, deadline.Token).AsTask();
            while (true)
            {
                var theirs = await listener.AcceptAsync(deadline.Token);
                await connecting;
                if (Equals(theirs.RemoteEndPoint, ours.LocalEndPoint))
                {
                    theirs.NoDelay = true;
                    return (ours, theirs);
                }

                theirs.Dispose();
            }
        }
        catch
        {
            ours.Dispose();
            throw;
        }
    }

    /// <summary>SSH.NET unhooks its channel from this when the channel closes; nothing here ever stops, so it never fires.</summary>
    private sealed class NoListener : IForwardedPort
    {
        public event EventHandler? Closing
        {
            add { }
            remove { }
        }

        public void Dispose()
        {
        }
    }

    /// <summary>The compiled calls into SSH.NET's internal direct-tcpip channel.</summary>
    private sealed class Binding
    {
        private static readonly Assembly SshNet = typeof(SshClient).Assembly;

        public Binding()
        {
            var sessionType = Type("Renci.SshNet.ISession");
            var directTcpip = Type("Renci.SshNet.Channels.IChannelDirectTcpip");
            var channel = Type("Renci.SshNet.Channels.IChannel");
            var property = typeof(BaseClient).GetProperty("Session", BindingFlags.Instance | BindingFlags.NonPublic) ?? throw Missing("BaseClient.Session");
            var client = Expression.Parameter(typeof(BaseClient));
            Session = Expression.Lambda<Func<BaseClient, object>>(Expression.Convert(Expression.Property(client, property), typeof(object)), client).Compile();
            CreateChannelDirectTcpip = Call<Func<object, object>>(sessionType, "CreateChannelDirectTcpip");
            Open = Call<Action<object, string, uint, IForwardedPort, Socket>>(directTcpip, "Open");
            IsOpen = Call<Func<object, bool>>(directTcpip, "IsOpen", property: true);
            SendData = Call<Action<object, byte[], int, int>>(channel, "SendData", [typeof(byte[]), typeof(int), typeof(int)]);
            SendEof = Call<Action<object>>(channel, "SendEof");
            OpenFailedEvent = Type("Renci.SshNet.Channels.ClientChannel").GetEvent("OpenFailed") ?? throw Missing("ClientChannel.OpenFailed");
            ClosedEvent = channel.GetEvent("Closed") ?? throw Missing("IChannel.Closed");
            _description = Type("Renci.SshNet.Common.ChannelOpenFailedEventArgs").GetProperty("Description") ?? throw Missing("ChannelOpenFailedEventArgs.Description");
        }

        private readonly PropertyInfo _description;

        /// <summary>The target refused the channel: SSH.NET keeps its reason to itself otherwise.</summary>
        public EventInfo OpenFailedEvent { get; }

        public EventInfo ClosedEvent { get; }

        public Func<BaseClient, object> Session { get; }
        public Func<object, object> CreateChannelDirectTcpip { get; }
        public Action<object, string, uint, IForwardedPort, Socket> Open { get; }
        public Func<object, bool> IsOpen { get; }
        public Action<object, byte[], int, int> SendData { get; }
        public Action<object> SendEof { get; }

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
