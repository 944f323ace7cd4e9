using Gatehouse.Contracts;
using Gatehouse.SessionBroker.Gateway;
using Gatehouse.SessionBroker.Targets;
using Gatehouse.Ssh;

namespace Gatehouse.SessionBroker.Sessions.Forwarding;

/// <summary>
/// The forwarding a gateway connection is asked for. A local forward (ssh -L, -W) is decided afresh for every channel,
/// allowed only to the destinations its grant lists, and opened from the target; agent and X11 forwarding are refused
/// (remote forwarding is <see cref="RemoteForwards"/>). Each forward, allowed or refused, is recorded; what flows through a tunnel is not (command policies do not
/// apply inside it), only the bytes each way.
/// </summary>
public sealed class Forwards(ConnectionAccess connection, GatewayServices services)
{
    private readonly SessionEvents _events = SessionEvents.For(connection.User, services.Clock);

    /// <summary>Opens a direct-tcpip channel as a tunnel from the target, or refuses it with a reason the client prints.</summary>
    public async ValueTask<SshChannelOpening> OpenLocalAsync(SshChannel channel, SshDirectTcpIpRequest request, CancellationToken cancellationToken)
    {
        var forwardingId = Guid.NewGuid();
        var host = ForwardingRules.Printable(request.Host);
        var verdict = ForwardingRules.Decide(await connection.DecideAsync(), request.Host, request.Port);
        if (verdict.Allowed is not { } access)
        {
            await RefusedAsync(forwardingId, ForwardingKind.Local, host, (int)request.Port, verdict.Reason, verdict.Message);
            return SshChannelOpening.Refuse(SshChannelOpenFailure.AdministrativelyProhibited, verdict.Message);
        }

        if (TargetTunnel.Unavailable is { } problem)
        {
            var message = $"gatehouse: port forwarding is not available on this gateway: {problem}";
            await RefusedAsync(forwardingId, ForwardingKind.Local, host, (int)request.Port, ForwardingRefusalReason.GatewayCannotForward, message);
            return SshChannelOpening.Refuse(SshChannelOpenFailure.AdministrativelyProhibited, message);
        }

        TargetTunnel tunnel;
        try
        {
            var target = await connection.TargetAsync(access, cancellationToken);
            tunnel = await target.OpenTunnelAsync(request.Host, request.Port, request.OriginatorAddress, request.OriginatorPort, cancellationToken);
        }
        catch (TargetConnectionException e)
        {
            var message = $"gatehouse: port forwarding to {ForwardingRules.Shown(request.Host, request.Port)} failed: {access.Target}: {e.Message}";
            await RefusedAsync(forwardingId, ForwardingKind.Local, host, (int)request.Port, ForwardingRefusalReason.TargetRefused, message);
            return SshChannelOpening.Refuse(SshChannelOpenFailure.ConnectFailed, message);
        }

        var opened = _events.ForwardOpened(forwardingId, access, host, (int)request.Port, ForwardingRules.Printable(request.OriginatorAddress),
            (int)request.OriginatorPort);
        try
        {
            await services.Journal.StartAsync(forwardingId, opened, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A forward that cannot be recorded does not open.
            services.Logger.LogError(e, "Forward of {User} to {Destination} refused: its opening could not be recorded", opened.UserName, host);
            tunnel.Dispose();
            return SshChannelOpening.Refuse(SshChannelOpenFailure.AdministrativelyProhibited, "gatehouse: the forward could not be recorded, so it is refused");
        }

        var forward = new OpenForward(opened, request.Host, request.Port, access, connection, services.Settings.MaxSessionLength, services.Clock);
        return SshChannelOpening.Accept(() => RelayAsync(channel, tunnel, forward));
    }

    private async Task RelayAsync(SshChannel channel, TargetTunnel tunnel, OpenForward forward)
    {
        using var _ = forward;
        services.Live.Add(forward);
        try
        {
            var relay = ForwardRelay.RunAsync(channel, tunnel);
            await using (forward.Ended.Register(() => EndBothSides(channel, tunnel, forward)))
            {
                var outcome = await relay;
                var end = forward.EndedBy;
                await RecordAsync(forward.Opened.ForwardingId, _events.ForwardClosed(forward.Opened, outcome.BytesFromClient, outcome.BytesToClient,
                    end?.Reason ?? outcome.EndReason, end?.Because), append: true);
            }
        }
        finally
        {
            services.Live.Remove(forward);
        }
    }

    /// <summary>The gateway ends a forward as its sides would: closing both ends the relay, which then records the outcome.</summary>
    private void EndBothSides(SshChannel channel, TargetTunnel tunnel, OpenForward forward)
    {
        services.Logger.LogInformation("Forward {ForwardingId} of {User} closed: {Reason}", forward.Opened.ForwardingId, forward.Opened.UserName,
            forward.EndedBy?.Because);
        tunnel.Dispose();
        _ = channel.CloseAsync().AsTask().ContinueWith(t => _ = t.Exception, TaskScheduler.Default);
    }

    /// <summary>
    /// ssh -A, -X: refused and recorded. ssh does not ask for an answer to -A and shows none for a refused -X beyond its own
    /// warning, so the reason goes to the session's error stream.
    /// </summary>
    public async ValueTask<bool> RefuseSessionForwardingAsync(SshChannel channel, SshSessionForwardingRequest request, CancellationToken cancellationToken)
    {
        var (kind, message) = request switch
        {
            SshAgentForwardingRequest => (ForwardingKind.Agent,
                "gatehouse: agent forwarding (ssh -A) is refused: the target would be able to sign with your keys while you are connected"),
            _ => (ForwardingKind.X11,
                "gatehouse: X11 forwarding (ssh -X) is refused: the target would be able to read and type into your display"),
        };
        await RefusedAsync(Guid.NewGuid(), kind, null, null, ForwardingRefusalReason.NotOffered, message);
        try
        {
            await channel.WriteErrorAsync(System.Text.Encoding.UTF8.GetBytes(message + "\r\n"), cancellationToken);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException)
        {
            // The session is already gone.
        }

        return false;
    }

    /// <summary>Records a refused forward (of any kind) with the reason and the line the client was told, and logs it.</summary>
    public async Task RefusedAsync(Guid forwardingId, ForwardingKind kind, string? host, int? port, ForwardingRefusalReason reason, string message)
    {
        var user = connection.User;
        services.Logger.LogInformation("Refused {Kind} forwarding for {User} on {Target} to {Host}:{Port}: {Reason}", kind, user.User, user.Target,
            host, port, reason);
        await RecordAsync(forwardingId, _events.ForwardRefused(forwardingId, user.Target, user.Login, kind, host, port, reason, message),
            append: false);
    }

    /// <summary>Records an event of a forward: a failure to record is logged, and does not end what the event is about.</summary>
    public async Task RecordAsync(Guid forwardingId, IAccessEvent accessEvent, bool append)
    {
        try
        {
            if (append)
            {
                await services.Journal.AppendAsync(forwardingId, accessEvent, CancellationToken.None);
            }
            else
            {
                await services.Journal.StartAsync(forwardingId, accessEvent, CancellationToken.None);
            }
        }
        catch (Exception e)
        {
            services.Logger.LogError(e, "The {Event} of forward {ForwardingId} could not be recorded", accessEvent.GetType().Name, forwardingId);
        }
    }
}
