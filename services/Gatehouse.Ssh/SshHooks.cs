namespace Gatehouse.Ssh;

/// <summary>Entry point the host implements: one handler per client connection.</summary>
public interface ISshServerHooks
{
    /// <summary>Called after key exchange, before authentication starts.</summary>
    ValueTask<ISshConnectionHandler> ConnectionStartedAsync(SshConnectionInfo connection, CancellationToken cancellationToken);
}

/// <summary>
/// Decides authentication and channels for one connection. Methods are called one at a time for
/// authentication; channel callbacks may run concurrently for different channels. Anything not
/// overridden is refused. Disposed when the connection ends.
/// </summary>
public interface ISshConnectionHandler : IAsyncDisposable
{
    /// <summary>Called only after the client proved possession of <paramref name="key"/> with a valid signature.</summary>
    ValueTask<SshAuthResult> AuthenticatePublicKeyAsync(string userName, SshPublicKey key, CancellationToken cancellationToken) =>
        ValueTask.FromResult(SshAuthResult.Failure);

    ValueTask<SshAuthResult> CheckPasswordAsync(string userName, string password, CancellationToken cancellationToken) =>
        ValueTask.FromResult(SshAuthResult.Failure);

    /// <summary>
    /// Drives keyboard-interactive: first called with <paramref name="responses"/> null, then with the
    /// answers to the prompts of the previous step, until it returns a result.
    /// </summary>
    ValueTask<SshKeyboardInteractiveStep> KeyboardInteractiveAsync(string userName, IReadOnlyList<string>? responses, CancellationToken cancellationToken) =>
        ValueTask.FromResult(SshKeyboardInteractiveStep.Finish(SshAuthResult.Failure));

    /// <summary>Accepts a "session" channel by returning a handler for its requests, or refuses it with null.</summary>
    ValueTask<ISshSessionHandler?> OpenSessionAsync(SshChannel channel, CancellationToken cancellationToken) =>
        ValueTask.FromResult<ISshSessionHandler?>(null);

    /// <summary>
    /// Accepts a "direct-tcpip" channel (ssh -L / -W) with <see cref="SshChannelOpening.Accept"/>, whose relay starts once
    /// the client was told the channel is open, or refuses it with a reason the client prints. Refused unless overridden.
    /// </summary>
    ValueTask<SshChannelOpening> OpenDirectTcpIpAsync(SshChannel channel, SshDirectTcpIpRequest request, CancellationToken cancellationToken) =>
        ValueTask.FromResult(SshChannelOpening.Refuse(SshChannelOpenFailure.AdministrativelyProhibited, "port forwarding is not offered"));

    /// <summary>
    /// The client asked to be forwarded what arrives at a port (tcpip-forward, ssh -R). Granted with the port listened on,
    /// each connection arriving there is passed to the client through <paramref name="channels"/>. Global requests are
    /// answered in the order they came, so this holds up the client's next one until it returns. Refused unless overridden.
    /// </summary>
    ValueTask<SshRemoteForwardAnswer> RemoteForwardAsync(SshRemoteForwardRequest request, SshForwardedChannels channels,
        CancellationToken cancellationToken) => ValueTask.FromResult(SshRemoteForwardAnswer.Refused);

    /// <summary>The client no longer wants a remote forward it was granted (cancel-tcpip-forward); returns whether there was one.</summary>
    ValueTask<bool> CancelRemoteForwardAsync(SshRemoteForwardRequest request, CancellationToken cancellationToken) => ValueTask.FromResult(false);

    /// <summary>
    /// Agent or X11 forwarding asked for on a session channel (ssh -A, -X), in order with that channel's other requests.
    /// Returns whether it is granted; refused unless overridden.
    /// </summary>
    ValueTask<bool> SessionForwardingRequestAsync(SshChannel channel, SshSessionForwardingRequest request, CancellationToken cancellationToken) =>
        ValueTask.FromResult(false);

    ValueTask IAsyncDisposable.DisposeAsync() => ValueTask.CompletedTask;
}

/// <summary>Handles the requests of one session channel (RFC 4254 §6).</summary>
public interface ISshSessionHandler
{
    /// <summary>
    /// Returns whether the request is granted. After granting shell, exec or subsystem the handler relays
    /// the channel itself and ends it with <see cref="SshChannel.ExitAsync"/>. Requests of one channel arrive in order.
    /// </summary>
    ValueTask<bool> HandleRequestAsync(SshChannel channel, SshSessionRequest request, CancellationToken cancellationToken);
}

public sealed record SshDirectTcpIpRequest(string Host, uint Port, string OriginatorAddress, uint OriginatorPort);

/// <summary>The reason codes of SSH_MSG_CHANNEL_OPEN_FAILURE (RFC 4254 §5.1).</summary>
public enum SshChannelOpenFailure : uint
{
    AdministrativelyProhibited = 1,
    ConnectFailed = 2,
    UnknownChannelType = 3,
    ResourceShortage = 4,
}

/// <summary>The answer to a channel open: accepted with the relay to run once confirmed, or refused with a reason.</summary>
public sealed record SshChannelOpening(Func<Task>? Relay, SshChannelOpenFailure Failure, string Description)
{
    public static SshChannelOpening Accept(Func<Task> relay) => new(relay, default, "");

    /// <summary>The description is what ssh prints ("open failed: administratively prohibited: ..."): one line, no secrets.</summary>
    public static SshChannelOpening Refuse(SshChannelOpenFailure failure, string description) => new(null, failure, description);

    public bool Accepted => Relay is not null;
}

/// <summary>
/// A "tcpip-forward" global request: listen on the server's <paramref name="Address"/>:<paramref name="Port"/> (ssh -R); port 0
/// asks the server to pick one. "cancel-tcpip-forward" names the same pair.
/// </summary>
public sealed record SshRemoteForwardRequest(string Address, uint Port);

/// <summary>The answer to a tcpip-forward request: granted with the port listened on (told to the client when it asked for 0), or refused.</summary>
public sealed record SshRemoteForwardAnswer(bool Granted, uint BoundPort)
{
    /// <summary>SSH_MSG_REQUEST_FAILURE carries no reason: ssh prints only that remote port forwarding failed.</summary>
    public static readonly SshRemoteForwardAnswer Refused = new(false, 0);

    public static SshRemoteForwardAnswer Listening(uint boundPort) => new(true, boundPort);
}

/// <summary>A "forwarded-tcpip" channel the client refused to open (RFC 4254 §7.2), with its reason.</summary>
public sealed class SshChannelOpenRefusedException(SshChannelOpenFailure failure, string description)
    : Exception($"the client refused the channel ({failure}): {description}")
{
    public SshChannelOpenFailure Failure => failure;
}

/// <summary>Opens "forwarded-tcpip" channels to the client: a connection that arrived at a port it asked to be forwarded.</summary>
public sealed class SshForwardedChannels
{
    private readonly Connection.ChannelMultiplexer _multiplexer;

    internal SshForwardedChannels(Connection.ChannelMultiplexer multiplexer) => _multiplexer = multiplexer;

    /// <summary>
    /// Opens a channel for a connection that arrived at <paramref name="connectedAddress"/>:<paramref name="connectedPort"/> (as
    /// the client asked for it, with the port listened on) from the originator; returns once the client accepted it.
    /// Throws <see cref="SshChannelOpenRefusedException"/> when it refuses.
    /// </summary>
    public Task<SshChannel> OpenAsync(string connectedAddress, uint connectedPort, string originatorAddress, uint originatorPort,
        CancellationToken cancellationToken) =>
        _multiplexer.OpenForwardedTcpIpAsync(connectedAddress, connectedPort, originatorAddress, originatorPort, cancellationToken);
}

/// <summary>A request on a session channel to forward something back to the client.</summary>
public abstract record SshSessionForwardingRequest : SshSessionRequest;

/// <summary>"auth-agent-req@openssh.com" (ssh -A): the client's agent offered to the session.</summary>
public sealed record SshAgentForwardingRequest : SshSessionForwardingRequest;

/// <summary>"x11-req" (ssh -X): X11 connections from the session forwarded to the client's display.</summary>
public sealed record SshX11ForwardingRequest(bool SingleConnection, string Protocol, uint Screen) : SshSessionForwardingRequest;

public readonly record struct SshTerminalSize(uint Columns, uint Rows, uint WidthPixels, uint HeightPixels);

/// <summary>A request on a session channel; one record type per request of RFC 4254 §6.</summary>
public abstract record SshSessionRequest;

public sealed record SshPtyRequest(string Terminal, SshTerminalSize Size, ReadOnlyMemory<byte> EncodedModes) : SshSessionRequest;

public sealed record SshEnvRequest(string Name, string Value) : SshSessionRequest;

public sealed record SshShellRequest : SshSessionRequest;

public sealed record SshExecRequest(string Command) : SshSessionRequest;

public sealed record SshSubsystemRequest(string Name) : SshSessionRequest;

public sealed record SshWindowChangeRequest(SshTerminalSize Size) : SshSessionRequest;

/// <summary>A signal name without the "SIG" prefix, e.g. "INT".</summary>
public sealed record SshSignalRequest(string Signal) : SshSessionRequest;

public sealed record SshBreakRequest(uint Milliseconds) : SshSessionRequest;
