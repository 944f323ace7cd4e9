using System.Linq.Expressions;
using System.Reflection;
using Renci.SshNet;
using Renci.SshNet.Common;
using Renci.SshNet.Messages.Connection;

namespace Gatehouse.SessionBroker.Targets;

/// <summary>
/// A raw "session" channel on a target, opened through SSH.NET. SSH.NET's public API offers a shell stream and
/// commands but not the channel itself (pty on exec, subsystems, signals, exit signals), which a relay needs, so this
/// binds to its internal IChannelSession once, by reflection, and fails at startup if the pinned SSH.NET version
/// no longer has it (<see cref="EnsureAvailable"/>).
/// </summary>
public sealed class TargetChannel : Sessions.ITargetInput, IDisposable
{
    private static readonly Binding Bound = new();

    private readonly object _channel;
    private readonly Action<ReadOnlyMemory<byte>> _onData;
    private readonly Action<ReadOnlyMemory<byte>> _onExtendedData;
    private readonly TaskCompletionSource<TargetExit> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int? _exitStatus;
    private string? _exitSignal;
    private readonly Delegate _dataHandler;
    private readonly Delegate _extendedHandler;
    private readonly Delegate _requestHandler;
    private readonly Delegate _closedHandler;

    private TargetChannel(object channel, Action<ReadOnlyMemory<byte>> onData, Action<ReadOnlyMemory<byte>> onExtendedData)
    {
        _channel = channel;
        _onData = onData;
        _onExtendedData = onExtendedData;
        _dataHandler = Bound.Subscribe(channel, "DataReceived", this, nameof(OnData));
        _extendedHandler = Bound.Subscribe(channel, "ExtendedDataReceived", this, nameof(OnExtendedData));
        _requestHandler = Bound.Subscribe(channel, "RequestReceived", this, nameof(OnRequest));
        _closedHandler = Bound.Subscribe(channel, "Closed", this, nameof(OnClosed));
    }

    /// <summary>Completes when the target closed the channel, with its exit status or signal when it sent one.</summary>
    public Task<TargetExit> Closed => _closed.Task;

    /// <summary>Throws if this SSH.NET build lacks what the relay binds to; called when the service starts.</summary>
    public static void EnsureAvailable() => _ = Bound;

    /// <summary>
    /// Opens a session channel. <paramref name="onData"/> and <paramref name="onExtendedData"/> run on SSH.NET's
    /// receive thread; blocking in them holds the target back, which is the relay's flow control.
    /// </summary>
    public static TargetChannel Open(SshClient client, Action<ReadOnlyMemory<byte>> onData, Action<ReadOnlyMemory<byte>> onExtendedData)
    {
        var channel = Bound.CreateChannelSession(Bound.Session(client));
        var target = new TargetChannel(channel, onData, onExtendedData);
        Bound.Open(channel);
        return target;
    }

    public bool RequestPty(string terminal, uint columns, uint rows, uint width, uint height, IDictionary<TerminalModes, uint> modes) =>
        Bound.SendPty(_channel, terminal, columns, rows, width, height, modes);

    public bool SetEnvironment(string name, string value) => Bound.SendEnv(_channel, name, value);

    public bool StartShell() => Bound.SendShell(_channel);

    public bool Execute(string command) => Bound.SendExec(_channel, command);

    public bool StartSubsystem(string name) => Bound.SendSubsystem(_channel, name);

    public void ChangeWindow(uint columns, uint rows, uint width, uint height) => Bound.SendWindowChange(_channel, columns, rows, width, height);

    public void Signal(string name) => Bound.SendSignal(_channel, name);

    public void Break(uint milliseconds) => Bound.SendBreak(_channel, milliseconds);

    /// <summary>Sends data; blocks while the target's window is full.</summary>
    public void Send(ReadOnlyMemory<byte> data)
    {
        var array = data.ToArray();
        Bound.SendData(_channel, array, 0, array.Length);
    }

    public void SendEof() => Bound.SendEof(_channel);

    public void Dispose()
    {
        Bound.Unsubscribe(_channel, "DataReceived", _dataHandler);
        Bound.Unsubscribe(_channel, "ExtendedDataReceived", _extendedHandler);
        Bound.Unsubscribe(_channel, "RequestReceived", _requestHandler);
        Bound.Unsubscribe(_channel, "Closed", _closedHandler);
        try
        {
            ((IDisposable)_channel).Dispose();
        }
        catch (Exception e) when (e is SshException or ObjectDisposedException or InvalidOperationException)
        {
            // The target connection is already gone.
        }

        _closed.TrySetResult(new TargetExit(_exitStatus, _exitSignal));
    }

    private void OnData(object? sender, EventArgs e) => _onData(Bound.Data(e));

    private void OnExtendedData(object? sender, EventArgs e) => _onExtendedData(Bound.ExtendedData(e));

    private void OnRequest(object? sender, EventArgs e)
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

    private void OnClosed(object? sender, EventArgs e) => _closed.TrySetResult(new TargetExit(_exitStatus, _exitSignal));

    /// <summary>The compiled calls into SSH.NET's internal channel API.</summary>
    private sealed class Binding
    {
        private static readonly Assembly SshNet = typeof(SshClient).Assembly;
        private readonly Type _channelSession = Type("Renci.SshNet.Channels.IChannelSession");
        private readonly Type _channel = Type("Renci.SshNet.Channels.IChannel");

        public Binding()
        {
            var sessionType = Type("Renci.SshNet.ISession");
            Session = Getter<BaseClient>(typeof(BaseClient).GetProperty("Session", BindingFlags.Instance | BindingFlags.NonPublic)!);
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
            SendData = Call<Action<object, byte[], int, int>>(_channel, "SendData", [typeof(byte[]), typeof(int), typeof(int)]);
            SendEof = Call<Action<object>>(_channel, "SendEof");
            Data = ArgsGetter<ArraySegment<byte>>("Renci.SshNet.Common.ChannelDataEventArgs", "Data");
            ExtendedData = ArgsGetter<ArraySegment<byte>>("Renci.SshNet.Common.ChannelExtendedDataEventArgs", "Data");
            RequestInfo = ArgsGetter<RequestInfo>("Renci.SshNet.Common.ChannelRequestEventArgs", "Info");
        }

        public Func<BaseClient, object> Session { get; }
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
        public Action<object, byte[], int, int> SendData { get; }
        public Action<object> SendEof { get; }
        public Func<EventArgs, ArraySegment<byte>> Data { get; }
        public Func<EventArgs, ArraySegment<byte>> ExtendedData { get; }
        public Func<EventArgs, RequestInfo> RequestInfo { get; }

        public Delegate Subscribe(object channel, string eventName, TargetChannel target, string method)
        {
            var evt = _channel.GetEvent(eventName) ?? throw Missing($"IChannel.{eventName}");
            var handler = Delegate.CreateDelegate(evt.EventHandlerType!, target,
                typeof(TargetChannel).GetMethod(method, BindingFlags.Instance | BindingFlags.NonPublic)!);
            evt.AddMethod!.Invoke(channel, [handler]);
            return handler;
        }

        public void Unsubscribe(object channel, string eventName, Delegate handler) =>
            _channel.GetEvent(eventName)!.RemoveMethod!.Invoke(channel, [handler]);

        private static Type Type(string name) => SshNet.GetType(name) ?? throw Missing(name);

        private static InvalidOperationException Missing(string what) =>
            new($"SSH.NET {SshNet.GetName().Version} lacks {what}, which the gateway's relay binds to; pin the SSH.NET version it was built for");

        private static Func<TOwner, object> Getter<TOwner>(PropertyInfo property)
        {
            var owner = Expression.Parameter(typeof(TOwner));
            return Expression.Lambda<Func<TOwner, object>>(Expression.Convert(Expression.Property(owner, property), typeof(object)), owner).Compile();
        }

        private static Func<EventArgs, T> ArgsGetter<T>(string argsType, string property)
        {
            var args = Expression.Parameter(typeof(EventArgs));
            var typed = Expression.Convert(args, Type(argsType));
            return Expression.Lambda<Func<EventArgs, T>>(Expression.Convert(Expression.Property(typed, property), typeof(T)), args).Compile();
        }

        /// <summary>Compiles "(object target, args...) => ((Interface)target).Method(args...)" for an internal interface.</summary>
        private static TDelegate Call<TDelegate>(Type owner, string name, Type[]? parameterTypes = null) where TDelegate : Delegate
        {
            var method = (parameterTypes is null
                             ? owner.GetMethods().SingleOrDefault(m => m.Name == name)
                             : owner.GetMethod(name, parameterTypes))
                         ?? throw Missing($"{owner.Name}.{name}");
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
