using System.Collections.Concurrent;
using Gatehouse.Contracts;
using Gatehouse.Contracts.Authorization;
using Gatehouse.SessionBroker.Gateway;
using Gatehouse.SessionBroker.Targets;
using Gatehouse.Ssh;

namespace Gatehouse.SessionBroker.Sessions.Forwarding;

/// <summary>
/// The remote forwards (ssh -R) of one gateway connection. Each is decided from the grant when asked for
/// (<see cref="ForwardingRules.DecideRemote"/>), listens on the target (the bastion's job is reaching the target, so the
/// port opens there, not on the gateway), and passes every connection arriving there to the client as a forwarded-tcpip
/// channel. The forward and each of its connections are recorded and held in <see cref="LiveSessions"/> like a local
/// forward, so a withdrawal, the grant's expiry, the maximum length or an operator's terminate ends them.
/// </summary>
public sealed class RemoteForwards(ConnectionAccess connection, GatewayServices services) : IAsyncDisposable
{
    /// <summary>Each one holds a listener on the target, where anyone there may connect: a client gets a few, not any number.</summary>
    public const int MostPerConnection = 16;

    private readonly ConnectionAccess _connection = connection;
    private readonly GatewayServices _services = services;
    private readonly SessionEvents _events = SessionEvents.For(connection.User, services.Clock);
    private readonly Forwards _recorder = new(connection, services);
    private readonly ConcurrentDictionary<Guid, Listening> _open = new();
    private int _asked;

    /// <summary>A tcpip-forward request: the target listens for the client, or it is refused and recorded with the reason.</summary>
    public async ValueTask<SshRemoteForwardAnswer> ListenAsync(SshRemoteForwardRequest request, SshForwardedChannels channels,
        CancellationToken cancellationToken)
    {
        var forwardingId = Guid.NewGuid();
        var address = ForwardingRules.Printable(request.Address);
        if (Interlocked.Increment(ref _asked) > MostPerConnection)
        {
            Interlocked.Decrement(ref _asked);
            return await RefuseAsync(forwardingId, request, ForwardingRefusalReason.NotOffered,
                $"gatehouse: remote port forwarding on {ForwardingRules.Shown(request.Address, request.Port)} is refused: at most {MostPerConnection} remote forwards are open on one connection");
        }

        try
        {
            var verdict = ForwardingRules.DecideRemote(await _connection.DecideAsync(), request.Address, request.Port);
            if (verdict.Allowed is not { } access)
            {
                return await RefuseAsync(forwardingId, request, verdict.Reason, verdict.Message);
            }

            if (TargetListener.Unavailable is { } problem)
            {
                return await RefuseAsync(forwardingId, request, ForwardingRefusalReason.GatewayCannotForward,
                    $"gatehouse: remote port forwarding on {ForwardingRules.Shown(request.Address, request.Port)} is not available on this gateway: {problem}");
            }

            var ready = new TaskCompletionSource<Listening?>(TaskCreationOptions.RunContinuationsAsynchronously);
            TargetListener listener;
            try
            {
                var target = await _connection.TargetAsync(access, cancellationToken);
                listener = await target.ListenAsync(ForwardingRules.TargetListenAddress(request.Address)!, request.Port,
                    async arrived => await ((await ready.Task)?.CarryAsync(arrived) ?? Dropped(arrived)), _services.Logger, cancellationToken);
            }
            catch (TargetConnectionException e)
            {
                return await RefuseAsync(forwardingId, request, ForwardingRefusalReason.TargetRefused,
                    $"gatehouse: remote port forwarding on {ForwardingRules.Shown(request.Address, request.Port)} failed: {access.Target}: {e.Message}");
            }

            var opened = _events.ForwardOpened(forwardingId, access, address, (int)listener.BoundPort, "", 0, ForwardingKind.Remote);
            try
            {
                await _services.Journal.StartAsync(forwardingId, opened, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // A forward that cannot be recorded does not open.
                _services.Logger.LogError(e, "Remote forward of {User} on {Address}:{Port} refused: its opening could not be recorded", opened.UserName,
                    address, listener.BoundPort);
                ready.SetResult(null);
                await listener.DisposeAsync();
                return SshRemoteForwardAnswer.Refused;
            }

            var listening = new Listening(this, request, channels, listener,
                new OpenForward(opened, request.Address, request.Port, access, _connection, _services.Settings.MaxSessionLength, _services.Clock));
            _open[forwardingId] = listening;
            _services.Live.Add(listening.Forward);
            listening.Forward.Ended.Register(() => _ = listening.CloseAsync(null));
            _ = listener.Lost.ContinueWith(lost => listening.Forward.End(new ForwardEnd(ForwardingEndReason.Failed, new TargetLostException(lost.Result).Message)),
                CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);
            ready.SetResult(listening);
            Interlocked.Increment(ref _asked);
            return SshRemoteForwardAnswer.Listening(listener.BoundPort);
        }
        finally
        {
            Interlocked.Decrement(ref _asked);
        }
    }

    /// <summary>cancel-tcpip-forward names the forward by what was asked, or by the port the target picked for it.</summary>
    public async ValueTask<bool> CancelAsync(SshRemoteForwardRequest request)
    {
        var listening = _open.Values.FirstOrDefault(l => l.Request.Address == request.Address
                                                         && (l.Request.Port == request.Port || l.Listener.BoundPort == request.Port));
        if (listening is null)
        {
            return false;
        }

        await listening.CloseAsync(new ForwardEnd(ForwardingEndReason.ClientClosed, "the client cancelled the remote forward"));
        return true;
    }

    /// <summary>The connection to the gateway ended: its remote forwards end with it.</summary>
    public async ValueTask DisposeAsync() =>
        await Task.WhenAll(_open.Values.Select(l => l.CloseAsync(new ForwardEnd(ForwardingEndReason.ClientClosed, "the client's connection ended"))));

    private async Task<SshRemoteForwardAnswer> RefuseAsync(Guid forwardingId, SshRemoteForwardRequest request, ForwardingRefusalReason reason, string message)
    {
        await _recorder.RefusedAsync(forwardingId, ForwardingKind.Remote, ForwardingRules.Printable(request.Address), (int)request.Port, reason, message);
        return SshRemoteForwardAnswer.Refused;
    }

    private static Task Dropped(ArrivedConnection arrived)
    {
        arrived.Refuse("the remote forward is not open");
        return Task.CompletedTask;
    }

    /// <summary>One remote forward while the target listens for it: its record, its listener and the connections it carries.</summary>
    private sealed class Listening(RemoteForwards owner, SshRemoteForwardRequest request, SshForwardedChannels channels, TargetListener listener,
        OpenForward forward)
    {
        private readonly ConcurrentDictionary<Guid, Task> _carrying = new();
        private long _fromClient;
        private long _toClient;
        private int _closing;

        public SshRemoteForwardRequest Request => request;

        public TargetListener Listener => listener;

        public OpenForward Forward => forward;

        private GatewayServices Services => owner._services;

        public Task CarryAsync(ArrivedConnection arrived)
        {
            var id = Guid.NewGuid();
            var carrying = CarryOneAsync(id, arrived);
            _carrying[id] = carrying;
            // Closed meanwhile: it was not among those waited for, so it is ended here.
            if (Volatile.Read(ref _closing) != 0)
            {
                arrived.Refuse("the remote forward is closing");
            }

            return carrying.ContinueWith(_ => _carrying.TryRemove(id, out Task? _), TaskScheduler.Default);
        }

        private async Task CarryOneAsync(Guid forwardingId, ArrivedConnection arrived)
        {
            var access = forward.Access;
            var (address, port) = (forward.Opened.DestinationHost, forward.Opened.DestinationPort);
            SshChannel channel;
            try
            {
                channel = await channels.OpenAsync(request.Address, listener.BoundPort, arrived.OriginatorAddress, arrived.OriginatorPort, forward.Ended);
            }
            catch (SshChannelOpenRefusedException e)
            {
                arrived.Refuse("the client refused the connection");
                await owner._recorder.RefusedAsync(forwardingId, ForwardingKind.RemoteConnection, address, port, ForwardingRefusalReason.ClientRefused,
                    $"gatehouse: a connection to {ForwardingRules.Shown(address, (uint)port)} on {access.Target} was refused by the client: {e.Message}");
                return;
            }
            catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException or System.Net.Sockets.SocketException)
            {
                arrived.Refuse("the client's connection ended");
                return;
            }

            // Taken only now that the client took its side: until the open is confirmed the target sends nothing on it.
            TargetTunnel tunnel;
            try
            {
                tunnel = arrived.Accept();
            }
            catch (TargetConnectionException e)
            {
                Services.Logger.LogInformation("A connection through remote forward {ForwardingId} was lost: {Error}", forward.Opened.ForwardingId, e.Message);
                await channel.CloseAsync();
                return;
            }

            var opened = owner._events.ForwardOpened(forwardingId, access, address, port, ForwardingRules.Printable(arrived.OriginatorAddress),
                (int)arrived.OriginatorPort, ForwardingKind.RemoteConnection);
            try
            {
                await Services.Journal.StartAsync(forwardingId, opened, CancellationToken.None);
            }
            catch (Exception e)
            {
                // A connection that cannot be recorded is not carried.
                Services.Logger.LogError(e, "A connection through remote forward {ForwardingId} was closed: its opening could not be recorded",
                    forward.Opened.ForwardingId);
                tunnel.Dispose();
                await channel.CloseAsync();
                return;
            }

            using var carried = new OpenForward(opened, request.Address, request.Port, access, owner._connection, Services.Settings.MaxSessionLength,
                Services.Clock);
            Services.Live.Add(carried);
            try
            {
                // Ending the forward ends every connection it carries, for the same reason.
                await using (forward.Ended.Register(() => carried.End(forward.EndedBy!)))
                await using (carried.Ended.Register(() => ForwardRelay.CloseBoth(channel, tunnel)))
                {
                    var outcome = await ForwardRelay.RunAsync(channel, tunnel);
                    Interlocked.Add(ref _fromClient, outcome.BytesFromClient);
                    Interlocked.Add(ref _toClient, outcome.BytesToClient);
                    var end = carried.EndedBy;
                    await owner._recorder.RecordAsync(forwardingId, owner._events.ForwardClosed(opened, outcome.BytesFromClient, outcome.BytesToClient,
                        end?.Reason ?? outcome.EndReason, end?.Because), append: true);
                }
            }
            finally
            {
                Services.Live.Remove(carried);
            }
        }

        /// <summary>Stops listening on the target, ends the connections still carried and records the forward's end with all they carried.</summary>
        public async Task CloseAsync(ForwardEnd? end)
        {
            if (end is not null)
            {
                forward.End(end);
            }

            if (Interlocked.Exchange(ref _closing, 1) != 0)
            {
                return;
            }

            try
            {
                await listener.DisposeAsync();
                await Task.WhenAll(_carrying.Values);
                var ended = forward.EndedBy;
                await owner._recorder.RecordAsync(forward.Opened.ForwardingId, owner._events.ForwardClosed(forward.Opened, Interlocked.Read(ref _fromClient),
                    Interlocked.Read(ref _toClient), ended?.Reason ?? ForwardingEndReason.ClientClosed, ended?.Because), append: true);
            }
            finally
            {
                Services.Live.Remove(forward);
                owner._open.TryRemove(forward.Opened.ForwardingId, out _);
                Interlocked.Decrement(ref owner._asked);
                forward.Dispose();
            }
        }
    }
}
