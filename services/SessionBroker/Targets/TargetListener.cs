using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using Renci.SshNet;
using Renci.SshNet.Common;
using Renci.SshNet.Messages;
using Renci.SshNet.Messages.Connection;

namespace Gatehouse.SessionBroker.Targets;

/// <summary>
/// A connection that arrived at the port the target listens on, not answered yet: where the target says it came from,
/// and the gateway's answer to it (once: <see cref="Accept"/> or <see cref="Refuse"/>). The target waits for that answer.
/// </summary>
public sealed class ArrivedConnection
{
    /// <summary>SSH_OPEN_CONNECT_FAILED (RFC 4254 §5.1).</summary>
    private const uint ConnectFailed = 2;

    private readonly ForwardedTcpipInternals _internals;
    private readonly Session _session;
    private readonly ChannelOpenMessage _open;
    private int _answered;

    internal ArrivedConnection(ForwardedTcpipInternals internals, Session session, ChannelOpenMessage open, string originatorAddress, uint originatorPort)
    {
        (_internals, _session, _open) = (internals, session, open);
        (OriginatorAddress, OriginatorPort) = (originatorAddress, originatorPort);
    }

    public string OriginatorAddress { get; }

    public uint OriginatorPort { get; }

    /// <summary>
    /// Takes the connection, with a tunnel's flow control (<see cref="TargetTunnel.Accept"/>); throws
    /// <see cref="TargetConnectionException"/> when the target connection is gone or the connection was refused meanwhile.
    /// </summary>
    public TargetTunnel Accept()
    {
        if (Interlocked.Exchange(ref _answered, 1) != 0)
        {
            throw new TargetConnectionException("the connection was refused meanwhile", Contracts.SessionRefusalReason.TargetUnreachable);
        }

        try
        {
            return TargetTunnel.Accept(_session, _open);
        }
        catch (Exception e) when (e is SshException or SocketException or ObjectDisposedException or InvalidOperationException)
        {
            throw new TargetConnectionException($"the target's connection failed: {e.Message}", Contracts.SessionRefusalReason.TargetUnreachable);
        }
    }

    /// <summary>Refuses the connection (the connecting side on the target sees it closed); nothing when it was already answered.</summary>
    public void Refuse(string why)
    {
        if (Interlocked.Exchange(ref _answered, 1) == 0)
        {
            TargetListener.Refuse(_internals, _session, _open, ConnectFailed, why);
        }
    }
}

/// <summary>
/// A port the target listens on for the gateway (ssh -R on the target itself): the gateway sends tcpip-forward on its
/// connection to the target and answers each forwarded-tcpip channel the target opens for that port itself, as a
/// <see cref="TargetTunnel"/> with the window taken over (<see cref="ArrivedConnection.Accept"/>). SSH.NET's own
/// ForwardedPortRemote is not used: it binds every channel to a socket that SSH.NET's one receive thread writes into,
/// so a connection whose client stopped reading blocked that thread and every channel of the target connection with it.
/// <para>
/// Why this is free of races: the handler of channel opens is subscribed before the request goes out; the target answers
/// the request before it opens any channel for the port, and SSH.NET's receive thread runs the answer's handler (which
/// notes the port, the one the target picked for a request of 0, and that it listens) before it reads the next message,
/// so no open for the port can be seen before the port is known. The target sends nothing on a channel before its open is
/// confirmed, and the channel takes its window over before that (<see cref="TargetTunnel.Accept"/>). Every open for the
/// port gets an answer: accepted or refused by its owner, or refused here once the forward stops (as SSH.NET refused
/// those arriving when its port was not started), until the target confirms the cancel; it opens none after that.
/// </para>
/// </summary>
public sealed class TargetListener : IAsyncDisposable
{
    /// <summary>SSH_OPEN_ADMINISTRATIVELY_PROHIBITED (RFC 4254 §5.1).</summary>
    private const uint AdministrativelyProhibited = 1;

    private const int Asking = 0, Listening = 1, Stopped = 2;

    private static readonly ConditionalWeakTable<Session, GlobalRequestReplies> Replies = new();

    private readonly ForwardedTcpipInternals _internals;
    private readonly Session _session;
    private readonly string _address;
    private readonly TimeSpan _timeout;
    private readonly Func<ArrivedConnection, Task> _arrived;
    private readonly ILogger _logger;
    private readonly TaskCompletionSource<string> _lost = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private ConnectionLoss? _loss;
    private uint _boundPort;
    private int _state = Asking;
    private bool _asked;
    private int _disposed;

    private TargetListener(ForwardedTcpipInternals internals, Session session, string address, uint port, TimeSpan timeout,
        Func<ArrivedConnection, Task> arrived, ILogger logger)
    {
        (_internals, _session, _address, _boundPort, _timeout, _arrived, _logger) = (internals, session, address, port, timeout, arrived, logger);
    }

    /// <summary>Why this gateway cannot carry remote forwards (the pinned SSH.NET lacks what they bind to); null when it can.</summary>
    public static string? Unavailable => ForwardedTcpipInternals.Unavailable;

    /// <summary>The port the target listens on (the one it picked, when asked for 0).</summary>
    public uint BoundPort => Volatile.Read(ref _boundPort);

    /// <summary>Completes, with how, if the target connection is lost while it listens: the target listens no more.</summary>
    public Task<string> Lost => _lost.Task;

    /// <summary>
    /// Asks the target to listen on <paramref name="address"/>:<paramref name="port"/>; throws
    /// <see cref="TargetConnectionException"/> when it refuses (the port is taken, its sshd does not allow forwarding) or
    /// does not answer within the connection's timeout. Each connection arriving there goes to <paramref name="arrived"/>,
    /// which must answer it.
    /// </summary>
    public static async Task<TargetListener> StartAsync(SshClient client, IPAddress address, uint port, Func<ArrivedConnection, Task> arrived,
        ILogger logger, CancellationToken cancellationToken)
    {
        if (Unavailable is { } problem)
        {
            throw new TargetConnectionException(problem, Contracts.SessionRefusalReason.TargetUnreachable);
        }

        var internals = ForwardedTcpipInternals.Bound;
        var listener = new TargetListener(internals, internals.Channel.Session(client), address.ToString(), port, client.ConnectionInfo.Timeout, arrived, logger);
        var answer = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        try
        {
            foreach (var message in (string[])["SSH_MSG_REQUEST_FAILURE", "SSH_MSG_REQUEST_SUCCESS", "SSH_MSG_CHANNEL_OPEN"])
            {
                listener._session.RegisterMessage(message);
            }

            listener._session.ChannelOpenReceived += listener.Opening;
            listener._loss = new ConnectionLoss(listener._session, how => listener._lost.TrySetResult(how));
            listener.Ask(internals.TcpipForward(listener._address, port), (listening, picked) =>
            {
                // SSH.NET's receive thread, before it reads the next message (an open for this port among them).
                if (listening && picked is { } bound)
                {
                    Volatile.Write(ref listener._boundPort, bound);
                }

                if (Interlocked.CompareExchange(ref listener._state, listening ? Listening : Stopped, Asking) != Asking)
                {
                    listener.GivenUp(listening);
                }

                answer.TrySetResult(listening);
            });
            Volatile.Write(ref listener._asked, true);
            if (!await answer.Task.WaitAsync(listener._timeout, cancellationToken))
            {
                throw new TargetConnectionException($"the target refused to listen on {address}:{port}", Contracts.SessionRefusalReason.TargetUnreachable);
            }

            return listener;
        }
        catch (Exception e) when (e is SshException or SocketException or ObjectDisposedException or InvalidOperationException or TimeoutException)
        {
            await listener.DisposeAsync();
            throw new TargetConnectionException($"the target did not listen on {address}:{port}: {e.Message}", Contracts.SessionRefusalReason.TargetUnreachable);
        }
        catch
        {
            await listener.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Stops listening on the target (cancel-tcpip-forward, waiting for its answer within the connection's timeout);
    /// connections already handed on are their owners' to answer and close.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _loss?.Dispose();
        var was = Interlocked.Exchange(ref _state, Stopped);
        if (was == Asking && Volatile.Read(ref _asked))
        {
            // Its answer is still to come, and ends it (GivenUp); until then opens for the port are refused.
            return;
        }

        if (was == Listening)
        {
            var cancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            try
            {
                Ask(_internals.CancelTcpipForward(_address, BoundPort), (_, _) => cancelled.TrySetResult());
                await cancelled.Task.WaitAsync(_timeout);
            }
            catch (Exception e) when (e is SshException or SocketException or ObjectDisposedException or InvalidOperationException or TimeoutException)
            {
                // The target connection is gone, and its listener with it.
            }
        }

        _session.ChannelOpenReceived -= Opening;
    }

    /// <summary>
    /// The target answered a request given up on (past the timeout, or cancelled): the target must not listen for no one,
    /// and opens for the port are refused until it confirms the cancel. Sent from the pool: the receive thread must not wait.
    /// </summary>
    private void GivenUp(bool listening)
    {
        if (!listening)
        {
            _session.ChannelOpenReceived -= Opening;
            return;
        }

        _ = Task.Run(() =>
        {
            try
            {
                Ask(_internals.CancelTcpipForward(_address, BoundPort), (_, _) => _session.ChannelOpenReceived -= Opening);
            }
            catch (Exception e) when (e is SshException or SocketException or ObjectDisposedException or InvalidOperationException)
            {
                // The target connection is gone, and its listener with it.
                _session.ChannelOpenReceived -= Opening;
            }
        });
    }

    /// <summary>Answers a channel open with SSH_MSG_CHANNEL_OPEN_FAILURE; a target connection already gone needs none.</summary>
    internal static void Refuse(ForwardedTcpipInternals internals, Session session, ChannelOpenMessage open, uint reason, string why)
    {
        try
        {
            internals.Send(session, new ChannelOpenFailureMessage(open.LocalChannelNumber, why, reason));
        }
        catch (Exception e) when (e is SshException or SocketException or ObjectDisposedException or InvalidOperationException)
        {
            // The target connection is gone, and the connection that arrived with it.
        }
    }

    /// <summary>
    /// Sends a global request: the target answers them in the order they were sent (RFC 4254 §4), and only the gateway's
    /// listeners send any on this connection, so the answers are matched to them in that order per target connection.
    /// </summary>
    private void Ask(Message request, Action<bool, uint?> answered)
    {
        GlobalRequestReplies replies;
        lock (Replies)
        {
            if (!Replies.TryGetValue(_session, out replies!))
            {
                replies = new GlobalRequestReplies();
                _session.RequestSuccessReceived += (_, e) => replies.Answer(true, e.Message.BoundPort);
                _session.RequestFailureReceived += (_, _) => replies.Answer(false, null);
                Replies.Add(_session, replies);
            }
        }

        replies.Send(() => _internals.Send(_session, request), answered);
    }

    /// <summary>Runs on SSH.NET's receive thread, for every channel the target opens: must neither wait nor throw.</summary>
    private void Opening(object? sender, MessageEventArgs<ChannelOpenMessage> e)
    {
        if (_internals.Forwarded(e.Message) is not { } forwarded || forwarded.ConnectedAddress != _address || forwarded.ConnectedPort != BoundPort)
        {
            return;
        }

        if (Volatile.Read(ref _state) != Listening)
        {
            Refuse(_internals, _session, e.Message, AdministrativelyProhibited, "");
            return;
        }

        var arrived = new ArrivedConnection(_internals, _session, e.Message, forwarded.OriginatorAddress, forwarded.OriginatorPort);
        _ = Task.Run(async () =>
        {
            try
            {
                await _arrived(arrived);
            }
            catch (Exception failure)
            {
                _logger.LogError(failure, "A connection to {Address}:{Port} on the target failed", _address, BoundPort);
                arrived.Refuse("the gateway failed to carry the connection");
            }
        });
    }
}
