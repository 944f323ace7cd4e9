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
    /// Accepts a "direct-tcpip" channel (ssh -L / -W). Returning true confirms the channel; the handler
    /// then relays <paramref name="channel"/> itself. Refused unless overridden.
    /// </summary>
    ValueTask<bool> OpenDirectTcpIpAsync(SshChannel channel, SshDirectTcpIpRequest request, CancellationToken cancellationToken) =>
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
