using System.Linq.Expressions;
using System.Reflection;
using System.Threading.Channels;
using Renci.SshNet;
using Renci.SshNet.Common;
using Renci.SshNet.Messages.Connection;

namespace Gatehouse.SessionBroker.Targets;

/// <summary>
/// A raw "session" channel on a target, opened through SSH.NET. SSH.NET's public API offers a shell stream and
/// commands but not the channel itself (pty on exec, subsystems, signals, exit signals), which a relay needs, so this
/// binds to its internal IChannelSession once, by reflection, and fails at startup if the pinned SSH.NET version
/// no longer has it (<see cref="EnsureAvailable"/>).
/// <para>
/// Flow control is the SSH window, per channel, as for tunnels (<see cref="TargetTunnel"/>): SSH.NET raises every
/// channel's data on the one receive thread of the target connection, so the handlers here only queue what arrives
/// (<see cref="FromTarget"/>) and never wait; the target gets <see cref="TargetWindow"/> bytes, stdout and stderr alike
/// (RFC 4254 §5.2), and the window reopens only as the relay hands bytes on to the user (<see cref="Taken"/>). A user
/// who stops reading stops their own session at the target, not the other channels of the connection.
/// </para>
/// </summary>
public sealed class TargetChannel : WindowedChannel, Sessions.ITargetInput, Sessions.ITargetOutput
{
    /// <summary>The window the target is given (OpenSSH's own), which is also the most of its output that waits in the gateway, per session.</summary>
    public const uint TargetWindow = 2 * 1024 * 1024;

    private static readonly Lazy<(Binding? Binding, string? Problem)> Bindings = new(Binding.Bind);

    private static Binding Bound => Bindings.Value.Binding ?? throw new InvalidOperationException(Bindings.Value.Problem);

    // Unbounded: the window bounds what the target can put in. One queue for both streams keeps them in the target's order.
    private readonly Channel<Sessions.TargetBytes> _fromTarget = Channel.CreateUnbounded<Sessions.TargetBytes>(new UnboundedChannelOptions { SingleReader = true });
    private readonly TaskCompletionSource<TargetExit> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int? _exitStatus;
    private string? _exitSignal;

    private TargetChannel(Session connection, object channel) : base(Bound.Channel, connection, channel, TargetWindow, "session")
    {
        Listen(Bound.ExtendedDataReceivedEvent, e => Receive(Bound.ExtendedData(e), stderr: true));
        Listen(Bound.RequestReceivedEvent, OnRequest);
        // Raised on the receive thread as the confirmation is handled, before any data of the channel can be: SSH.NET's Open
        // has sent the open message with the real packet size by then, and sends no window adjust of its own from here on.
        Listen(Bound.OpenConfirmedEvent, _ => Bound.Channel.TakeOverWindow(SshNetChannel));
    }

    /// <summary>Completes when the target closed the channel, with its exit status or signal when it sent one.</summary>
    public Task<TargetExit> Closed => _closed.Task;

    /// <summary>
    /// What the target sends, stdout and stderr in the order it sent them; completes at the target's EOF or close, and throws
    /// <see cref="InvalidDataException"/> when the target broke its window. Report what was handed on with <see cref="Taken"/>.
    /// </summary>
    public ChannelReader<Sessions.TargetBytes> FromTarget => _fromTarget.Reader;

    /// <summary>Throws if this SSH.NET build lacks what the relay binds to (its flow control above all); called when the service starts.</summary>
    public static void EnsureAvailable() => _ = Bound;

    /// <summary>Opens a session channel; its output queues in <see cref="FromTarget"/> until a relay takes it.</summary>
    public static TargetChannel Open(SshClient client)
    {
        var connection = Bound.Channel.Session(client);
        var channel = Bound.CreateChannelSession(connection);
        // The open message offers this window, and SSH.NET would reopen it to this size until the confirmation takes it over.
        Bound.Channel.SetWindow(channel, TargetWindow);
        var target = new TargetChannel(connection, channel);
        try
        {
            Bound.Open(channel);
        }
        catch
        {
            target.Dispose();
            throw;
        }

        return target;
    }

    public bool RequestPty(string terminal, uint columns, uint rows, uint width, uint height, IDictionary<TerminalModes, uint> modes) =>
        Bound.SendPty(SshNetChannel, terminal, columns, rows, width, height, modes);

    public bool SetEnvironment(string name, string value) => Bound.SendEnv(SshNetChannel, name, value);

    public bool StartShell() => Bound.SendShell(SshNetChannel);

    public bool Execute(string command) => Bound.SendExec(SshNetChannel, command);

    public bool StartSubsystem(string name) => Bound.SendSubsystem(SshNetChannel, name);

    public void ChangeWindow(uint columns, uint rows, uint width, uint height) => Bound.SendWindowChange(SshNetChannel, columns, rows, width, height);

    public void Signal(string name) => Bound.SendSignal(SshNetChannel, name);

    public void Break(uint milliseconds) => Bound.SendBreak(SshNetChannel, milliseconds);

    /// <summary>Sends data; blocks while the target's window is full.</summary>
    public void Send(ReadOnlyMemory<byte> data)
    {
        // SSH.NET encrypts and writes each packet before SendData returns, so the caller's array can be sent as it is.
        var array = System.Runtime.InteropServices.MemoryMarshal.TryGetArray(data, out var segment) ? segment : new ArraySegment<byte>(data.ToArray());
        Bound.Channel.SendData(SshNetChannel, array.Array!, array.Offset, array.Count);
    }

    public void SendEof() => Bound.Channel.SendEof(SshNetChannel);

    // A copy: the pinned SSH.NET hands a segment whose array it owns.
    private protected override void Put(ArraySegment<byte> data, bool stderr) =>
        _fromTarget.Writer.TryWrite(new Sessions.TargetBytes(data.ToArray(), stderr));

    private protected override void Complete(Exception? error) => _fromTarget.Writer.Complete(error);

    private protected override void Ended() => _closed.TrySetResult(new TargetExit(_exitStatus, _exitSignal));

    private protected override void Released() => Ended();

    private void OnRequest(EventArgs e)
    {
        var info = Bound.RequestInfo(e);
        switch (info.RequestName)
        {
            case "exit-status":
                _exitStatus = (int)(uint)info.GetType().GetProperty("ExitStatus")!.GetValue(info)!;
                break;
            case "exit-signal":
                _exitSignal = (string?)info.GetType().GetProperty("SignalName")!.GetValue(info);
                break;
        }
    }

    /// <summary>The compiled calls into SSH.NET's internal session channel, beside those of every channel (<see cref="Channel"/>).</summary>
    private sealed class Binding
    {
        private readonly Type _channelSession = ChannelInternals.Type("Renci.SshNet.Channels.IChannelSession");

        private Binding(ChannelInternals channel)
        {
            Channel = channel;
            var sessionType = ChannelInternals.Type("Renci.SshNet.ISession");
            var channelInterface = ChannelInternals.Type("Renci.SshNet.Channels.IChannel");
            CreateChannelSession = Call<Func<object, object>>(sessionType, "CreateChannelSession");
            Open = Call<Action<object>>(_channelSession, "Open");
            SendPty = Call<Func<object, string, uint, uint, uint, uint, IDictionary<TerminalModes, uint>, bool>>(_channelSession, "SendPseudoTerminalRequest");
            SendEnv = Call<Func<object, string, string, bool>>(_channelSession, "SendEnvironmentVariableRequest");
            SendShell = Call<Func<object, bool>>(_channelSession, "SendShellRequest");
            SendExec = Call<Func<object, string, bool>>(_channelSession, "SendExecRequest");
            SendSubsystem = Call<Func<object, string, bool>>(_channelSession, "SendSubsystemRequest");
            var windowChange = Call<Func<object, uint, uint, uint, uint, bool>>(_channelSession, "SendWindowChangeRequest");
            SendWindowChange = (c, a, b, w, h) => windowChange(c, a, b, w, h);
            var signal = Call<Func<object, string, bool>>(_channelSession, "SendSignalRequest");
            SendSignal = (c, s) => signal(c, s);
            var breakRequest = Call<Func<object, uint, bool>>(_channelSession, "SendBreakRequest");
            SendBreak = (c, ms) => breakRequest(c, ms);
            ExtendedDataReceivedEvent = channelInterface.GetEvent("ExtendedDataReceived") ?? throw ChannelInternals.Missing("IChannel.ExtendedDataReceived");
            RequestReceivedEvent = channelInterface.GetEvent("RequestReceived") ?? throw ChannelInternals.Missing("IChannel.RequestReceived");
            OpenConfirmedEvent = ChannelInternals.Type("Renci.SshNet.Channels.ClientChannel").GetEvent("OpenConfirmed")
                                 ?? throw ChannelInternals.Missing("ClientChannel.OpenConfirmed");
            ExtendedData = ChannelInternals.ArgsGetter<ArraySegment<byte>>("Renci.SshNet.Common.ChannelExtendedDataEventArgs", "Data");
            RequestInfo = ChannelInternals.ArgsGetter<RequestInfo>("Renci.SshNet.Common.ChannelRequestEventArgs", "Info");
        }

        /// <summary>What every channel to a target binds to: the window take-over and the guarded sends.</summary>
        public ChannelInternals Channel { get; }

        public Func<object, object> CreateChannelSession { get; }
        public Action<object> Open { get; }
        public Func<object, string, uint, uint, uint, uint, IDictionary<TerminalModes, uint>, bool> SendPty { get; }
        public Func<object, string, string, bool> SendEnv { get; }
        public Func<object, bool> SendShell { get; }
        public Func<object, string, bool> SendExec { get; }
        public Func<object, string, bool> SendSubsystem { get; }
        public Action<object, uint, uint, uint, uint> SendWindowChange { get; }
        public Action<object, string> SendSignal { get; }
        public Action<object, uint> SendBreak { get; }
        public EventInfo ExtendedDataReceivedEvent { get; }
        public EventInfo RequestReceivedEvent { get; }
        public EventInfo OpenConfirmedEvent { get; }
        public Func<EventArgs, ArraySegment<byte>> ExtendedData { get; }
        public Func<EventArgs, RequestInfo> RequestInfo { get; }

        /// <summary>The binding, or why this SSH.NET build does not allow it.</summary>
        public static (Binding? Binding, string? Problem) Bind() => ChannelInternals.Bind(channel => new Binding(channel), "the gateway's sessions");

        /// <summary>Compiles "(object target, args...) => ((Interface)target).Method(args...)" for an internal interface.</summary>
        private static TDelegate Call<TDelegate>(Type owner, string name) where TDelegate : Delegate
        {
            var method = owner.GetMethods().SingleOrDefault(m => m.Name == name) ?? throw ChannelInternals.Missing($"{owner.Name}.{name}");
            var invoke = typeof(TDelegate).GetMethod("Invoke")!;
            var parameters = invoke.GetParameters().Select(p => Expression.Parameter(p.ParameterType)).ToArray();
            var call = Expression.Call(Expression.Convert(parameters[0], owner), method,
                method.GetParameters().Select((p, i) => (Expression)Expression.Convert(parameters[i + 1], p.ParameterType)));
            // Requests SSH.NET sends without waiting for a reply return nothing; they count as granted.
            Expression body = invoke.ReturnType == typeof(void) || method.ReturnType == invoke.ReturnType
                ? call
                : method.ReturnType == typeof(void)
                    ? Expression.Block(call, Expression.Constant(true))
                    : Expression.Convert(call, invoke.ReturnType);
            return Expression.Lambda<TDelegate>(body, parameters).Compile();
        }
    }
}

/// <summary>How a target's command ended: its exit status, or the signal that killed it.</summary>
public sealed record TargetExit(int? ExitStatus, string? ExitSignal);
