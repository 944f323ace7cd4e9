using System.Linq.Expressions;
using System.Reflection;
using Renci.SshNet;

namespace Gatehouse.SessionBroker.Targets;

/// <summary>
/// What the gateway's channels to a target (tunnels, remote forwards' connections, sessions) bind to in SSH.NET's
/// internal Channel class, compiled once. SSH.NET raises every channel's data on the one receive thread of the target
/// connection and reopens the window itself before it does, so its only brake is blocking that thread, which would
/// freeze every other channel of the connection. These let a channel take its window over
/// (<see cref="TakeOverWindow"/>, then <see cref="AdjustWindow"/> as the client takes the bytes) and send under
/// SSH.NET's messaging lock while no close has gone out. <see cref="Bind"/> says why when the pinned SSH.NET lacks them.
/// </summary>
internal sealed class ChannelInternals
{
    private static readonly Assembly SshNet = typeof(SshClient).Assembly;

    private ChannelInternals()
    {
        var channel = Type("Renci.SshNet.Channels.IChannel");
        ChannelClass = Type("Renci.SshNet.Channels.Channel");
        var session = typeof(BaseClient).GetProperty("Session", BindingFlags.Instance | BindingFlags.NonPublic) ?? throw Missing("BaseClient.Session");
        var client = Expression.Parameter(typeof(BaseClient));
        Session = Expression.Lambda<Func<BaseClient, Session>>(Expression.Convert(Expression.Property(client, session), typeof(Session)), client).Compile();
        IsOpen = LambdaOf<Func<object, bool>>(ChannelClass, c => Expression.Property(c, ChannelClass.GetProperty("IsOpen") ?? throw Missing("Channel.IsOpen")));
        var guarded = new GuardedSends(ChannelClass);
        SendData = guarded.SendData;
        SendEof = guarded.SendEof;
        AdjustWindow = guarded.AdjustWindow;
        var initialWindow = ChannelClass.GetField("_initialWindowSize", BindingFlags.Instance | BindingFlags.NonPublic)
                            ?? throw Missing("Channel._initialWindowSize");
        var localWindow = ChannelClass.GetProperty("LocalWindowSize")?.GetSetMethod(nonPublic: true) ?? throw Missing("Channel.LocalWindowSize");
        // Before the open message (or its confirmation): SSH.NET reopens the window to its initial size, and the message offers LocalWindowSize.
        SetWindow = (c, size) =>
        {
            initialWindow.SetValue(c, size);
            localWindow.Invoke(c, [size]);
        };
        TakeOverWindow = WindowTakeOver(ChannelClass);
        var packetSize = ChannelClass.GetProperty("LocalPacketSize") ?? throw Missing("Channel.LocalPacketSize");
        PacketSize = LambdaOf<Func<object, uint>>(ChannelClass, c => Expression.Property(c, packetSize));
        DataReceivedEvent = channel.GetEvent("DataReceived") ?? throw Missing("IChannel.DataReceived");
        EndOfDataEvent = ChannelClass.GetEvent("EndOfData") ?? throw Missing("Channel.EndOfData");
        ClosedEvent = channel.GetEvent("Closed") ?? throw Missing("IChannel.Closed");
        Data = ArgsGetter<ArraySegment<byte>>("Renci.SshNet.Common.ChannelDataEventArgs", "Data");
    }

    /// <summary>The SSH connection of a client, on which channels are made.</summary>
    public Func<BaseClient, Session> Session { get; }

    /// <summary>SSH.NET's Channel class, for the bindings of one kind of channel.</summary>
    public Type ChannelClass { get; }

    public EventInfo DataReceivedEvent { get; }
    public EventInfo EndOfDataEvent { get; }
    public EventInfo ClosedEvent { get; }
    public Func<object, bool> IsOpen { get; }
    public Func<EventArgs, ArraySegment<byte>> Data { get; }

    /// <summary>(channel, bytes): the window the channel offers, set before its open message or confirmation goes out.</summary>
    public Action<object, uint> SetWindow { get; }

    /// <summary>The largest packet the channel takes, to offer in its open message (read before the window is taken over).</summary>
    public Func<object, uint> PacketSize { get; }

    /// <summary>Before the open message or confirmation: SSH.NET sends no window adjust of its own on this channel from then on.</summary>
    public Action<object> TakeOverWindow { get; }

    /// <summary>(channel, bytes): sends SSH_MSG_CHANNEL_WINDOW_ADJUST unless the channel's close has been sent.</summary>
    public Action<object, uint> AdjustWindow { get; }

    /// <summary>Sends SSH_MSG_CHANNEL_EOF once, unless the channel is closing.</summary>
    public Action<object> SendEof { get; }

    /// <summary>(channel, data, offset, count): sends in packets the target's window allows, waiting for it; stops when the channel is closing.</summary>
    public Action<object, byte[], int, int> SendData { get; }

    /// <summary>The binding, or why this SSH.NET build does not allow it.</summary>
    public static (ChannelInternals? Bound, string? Problem) Bind()
    {
        try
        {
            return (new ChannelInternals(), null);
        }
        catch (InvalidOperationException e)
        {
            return (null, e.Message);
        }
        catch (Exception e) when (e is ArgumentException or AmbiguousMatchException)
        {
            // A member is there but not of the shape compiled against.
            return (null, $"SSH.NET {SshNet.GetName().Version} is not built as the gateway's channels expect ({e.Message}); pin the SSH.NET version it was built for");
        }
    }

    /// <summary>
    /// A binding of one kind of channel (<paramref name="create"/> compiles its own members on top of these), or why this
    /// SSH.NET build does not allow it, in the words of <paramref name="what"/> ("port forwarding").
    /// </summary>
    public static (T? Bound, string? Problem) Bind<T>(Func<ChannelInternals, T> create, string what) where T : class
    {
        var (channel, problem) = Bind();
        if (channel is null)
        {
            return (null, problem);
        }

        try
        {
            return (create(channel), null);
        }
        catch (InvalidOperationException e)
        {
            return (null, e.Message);
        }
        catch (Exception e) when (e is ArgumentException or AmbiguousMatchException)
        {
            return (null, $"SSH.NET is not built as {what} expects ({e.Message}); pin the SSH.NET version it was built for");
        }
    }

    /// <summary>
    /// The client took <paramref name="count"/> bytes of the channel's data: the target's window reopens by what
    /// <paramref name="window"/> grants now (in steps of <see cref="TunnelWindow.GrantThreshold"/>).
    /// </summary>
    public void Reopen(object channel, TunnelWindow window, int count)
    {
        var grant = window.Taken(count);
        if (grant == 0)
        {
            return;
        }

        try
        {
            AdjustWindow(channel, grant);
        }
        catch (Exception e) when (e is Renci.SshNet.Common.SshException or ObjectDisposedException or InvalidOperationException
                                      or System.Net.Sockets.SocketException)
        {
            // The target connection is gone: the channel's owner learns it from its close.
        }
    }

    public static Type Type(string name) => SshNet.GetType(name) ?? throw Missing(name);

    public static InvalidOperationException Missing(string what) =>
        new($"SSH.NET {SshNet.GetName().Version} lacks {what}, which the gateway's channels to targets bind to; pin the SSH.NET version it was built for");

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

    public static TDelegate LambdaOf<TDelegate>(Type owner, Func<Expression, Expression> body) where TDelegate : Delegate
    {
        var parameter = Expression.Parameter(typeof(object));
        return Expression.Lambda<TDelegate>(body(Expression.Convert(parameter, owner)), parameter).Compile();
    }

    public static Func<EventArgs, T> ArgsGetter<T>(string argsType, string property)
    {
        var args = Expression.Parameter(typeof(EventArgs));
        var typed = Expression.Convert(args, Type(argsType));
        return Expression.Lambda<Func<EventArgs, T>>(Expression.Convert(Expression.Property(typed, property), typeof(T)), args).Compile();
    }
}
