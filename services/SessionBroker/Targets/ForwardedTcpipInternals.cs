using System.Linq.Expressions;
using System.Reflection;
using Renci.SshNet;
using Renci.SshNet.Messages;
using Renci.SshNet.Messages.Connection;

namespace Gatehouse.SessionBroker.Targets;

/// <summary>Where the target says a connection to a port it listens on for the gateway came from, and which port that is.</summary>
public sealed record ForwardedTcpip(string ConnectedAddress, uint ConnectedPort, string OriginatorAddress, uint OriginatorPort);

/// <summary>
/// What remote forwards bind to in SSH.NET beside <see cref="ChannelInternals"/>, compiled once: the tcpip-forward and
/// cancel-tcpip-forward requests, the forwarded-tcpip open's fields, and a forwarded-tcpip channel answered by the gateway
/// itself (SSH.NET's own ForwardedPortRemote connects each one to a socket that its receive thread then writes into).
/// </summary>
internal sealed class ForwardedTcpipInternals
{
    private static readonly Lazy<(ForwardedTcpipInternals? Bound, string? Problem)> Bindings =
        new(() => ChannelInternals.Bind(channel => new ForwardedTcpipInternals(channel), "remote forwarding"));

    private readonly Action<Session, Message> _send;
    private readonly Func<string, uint, Message> _forward;
    private readonly Func<string, uint, Message> _cancel;
    private readonly Type _forwardedInfo;
    private readonly Func<ChannelOpenInfo, ForwardedTcpip> _fields;
    private readonly Func<Session, uint, uint, uint, object> _create;
    private readonly Action<object, uint> _confirm;

    private ForwardedTcpipInternals(ChannelInternals channel)
    {
        Channel = channel;
        var sessionType = ChannelInternals.Type("Renci.SshNet.ISession");
        var sendMessage = sessionType.GetMethod("SendMessage", [typeof(Message)]) ?? throw ChannelInternals.Missing("ISession.SendMessage(Message)");
        var session = Expression.Parameter(typeof(Session));
        var message = Expression.Parameter(typeof(Message));
        _send = Expression.Lambda<Action<Session, Message>>(Expression.Call(Expression.Convert(session, sessionType), sendMessage, message), session, message).Compile();
        _forward = GlobalRequest("Renci.SshNet.Messages.Connection.TcpIpForwardGlobalRequestMessage");
        _cancel = GlobalRequest("Renci.SshNet.Messages.Connection.CancelTcpIpForwardGlobalRequestMessage");

        _forwardedInfo = ChannelInternals.Type("Renci.SshNet.Messages.Connection.ForwardedTcpipChannelInfo");
        var info = Expression.Parameter(typeof(ChannelOpenInfo));
        var typed = Expression.Convert(info, _forwardedInfo);
        Expression Field(string name) => Expression.Property(typed, _forwardedInfo.GetProperty(name) ?? throw ChannelInternals.Missing($"ForwardedTcpipChannelInfo.{name}"));
        var fields = typeof(ForwardedTcpip).GetConstructor([typeof(string), typeof(uint), typeof(string), typeof(uint)])!;
        _fields = Expression.Lambda<Func<ChannelOpenInfo, ForwardedTcpip>>(
            Expression.New(fields, Field("ConnectedAddress"), Field("ConnectedPort"), Field("OriginatorAddress"), Field("OriginatorPort")), info).Compile();

        var create = sessionType.GetMethod("CreateChannelForwardedTcpip", [typeof(uint), typeof(uint), typeof(uint)])
                     ?? throw ChannelInternals.Missing("ISession.CreateChannelForwardedTcpip(remote channel, window, packet size)");
        var numbers = new[] { Expression.Parameter(typeof(uint)), Expression.Parameter(typeof(uint)), Expression.Parameter(typeof(uint)) };
        _create = Expression.Lambda<Func<Session, uint, uint, uint, object>>(
            Expression.Convert(Expression.Call(Expression.Convert(session, sessionType), create, numbers), typeof(object)), [session, .. numbers]).Compile();
        _confirm = Confirmation(channel.ChannelClass);
    }

    /// <summary>Why this SSH.NET build cannot carry remote forwards (the channel's flow control above all); null when it can.</summary>
    public static string? Unavailable => TargetTunnel.Unavailable ?? Bindings.Value.Problem;

    public static ForwardedTcpipInternals Bound => Bindings.Value.Bound ?? throw new InvalidOperationException(Unavailable);

    /// <summary>What every channel to a target binds to: the window take-over and the guarded sends.</summary>
    public ChannelInternals Channel { get; }

    public void Send(Session session, Message message) => _send(session, message);

    /// <summary>SSH_MSG_GLOBAL_REQUEST "tcpip-forward" (RFC 4254 §7.1), wanting a reply.</summary>
    public Message TcpipForward(string address, uint port) => _forward(address, port);

    /// <summary>SSH_MSG_GLOBAL_REQUEST "cancel-tcpip-forward", wanting a reply.</summary>
    public Message CancelTcpipForward(string address, uint port) => _cancel(address, port);

    /// <summary>The fields of a "forwarded-tcpip" open (RFC 4254 §7.2); null for any other kind of channel.</summary>
    public ForwardedTcpip? Forwarded(ChannelOpenMessage open) => _forwardedInfo.IsInstanceOfType(open.Info) ? _fields(open.Info) : null;

    /// <summary>SSH.NET's forwarded-tcpip channel for the target's open, not yet confirmed: it hears its channel's messages from now on.</summary>
    public object CreateChannel(Session session, ChannelOpenMessage open) =>
        _create(session, open.LocalChannelNumber, open.InitialWindowSize, open.MaximumPacketSize);

    /// <summary>(channel, packet size): SSH_MSG_CHANNEL_OPEN_CONFIRMATION with the channel's window; SSH.NET takes the channel as open from then on.</summary>
    public void Confirm(object channel, uint packetSize) => _confirm(channel, packetSize);

    private static Func<string, uint, Message> GlobalRequest(string typeName)
    {
        var constructor = ChannelInternals.Type(typeName).GetConstructor(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic, [typeof(string), typeof(uint)])
                          ?? throw ChannelInternals.Missing($"{typeName}(address, port)");
        var address = Expression.Parameter(typeof(string));
        var port = Expression.Parameter(typeof(uint));
        return Expression.Lambda<Func<string, uint, Message>>(Expression.Convert(Expression.New(constructor, address, port), typeof(Message)), address, port).Compile();
    }

    /// <summary>
    /// Compiles "(channel, packetSize) => ((ServerChannel)channel).SendMessage(new ChannelOpenConfirmationMessage(
    /// channel.RemoteChannelNumber, channel.LocalWindowSize, packetSize, channel.LocalChannelNumber))", which is what
    /// SSH.NET's own Bind sends once its socket is connected, and marks the channel open.
    /// </summary>
    private static Action<object, uint> Confirmation(Type channelClass)
    {
        var serverChannel = ChannelInternals.Type("Renci.SshNet.Channels.ServerChannel");
        var send = serverChannel.GetMethod("SendMessage", BindingFlags.Instance | BindingFlags.NonPublic, [typeof(ChannelOpenConfirmationMessage)])
                   ?? throw ChannelInternals.Missing("ServerChannel.SendMessage(ChannelOpenConfirmationMessage)");
        var channel = Expression.Parameter(typeof(object));
        var packetSize = Expression.Parameter(typeof(uint));
        var typed = Expression.Convert(channel, channelClass);
        PropertyInfo Property(string name) => channelClass.GetProperty(name) ?? throw ChannelInternals.Missing($"Channel.{name}");
        var message = Expression.New(typeof(ChannelOpenConfirmationMessage).GetConstructor([typeof(uint), typeof(uint), typeof(uint), typeof(uint)])!,
            Expression.Property(typed, Property("RemoteChannelNumber")), Expression.Property(typed, Property("LocalWindowSize")), packetSize,
            Expression.Property(typed, Property("LocalChannelNumber")));
        return Expression.Lambda<Action<object, uint>>(Expression.Call(Expression.Convert(channel, serverChannel), send, message), channel, packetSize).Compile();
    }
}
