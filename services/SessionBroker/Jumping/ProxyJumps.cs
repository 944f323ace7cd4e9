using Gatehouse.Contracts;
using Gatehouse.SessionBroker.Gateway;
using Gatehouse.SessionBroker.Sessions;
using Gatehouse.SessionBroker.Sessions.Forwarding;
using Gatehouse.SessionBroker.Sessions.WithdrawingAccess;
using Gatehouse.Ssh;

namespace Gatehouse.SessionBroker.Jumping;

/// <summary>
/// A connection signed in with the plain user name (<c>ssh -J alice@gatehouse</c>): it only opens channels to targets'
/// SSH ports, and each is not relayed raw but served by the gateway as an inner SSH connection of its own, bound to
/// this user and brokered like <c>alice:login@target</c>. A shell or command on it is refused with a line and an event.
/// </summary>
public sealed class ProxyJumps(SignedInUser user, GatewayServices services)
{
    private readonly SessionEvents _events = SessionEvents.For(user, services.Clock);
    private volatile string? _withdrawn;

    public async ValueTask<SshChannelOpening> OpenAsync(SshChannel channel, SshDirectTcpIpRequest request, CancellationToken cancellationToken)
    {
        var verdict = JumpDestination.Decide(request.Host, request.Port);
        if (_withdrawn is { } withdrawn)
        {
            verdict = new JumpVerdict(null, $"gatehouse: ProxyJump is refused: {withdrawn}");
        }

        if (verdict.Target is not { } target)
        {
            await RecordRefusalAsync(request, ForwardingRefusalReason.NotATargetSshPort, verdict.Message);
            return SshChannelOpening.Refuse(SshChannelOpenFailure.AdministrativelyProhibited, verdict.Message);
        }

        SshHostIdentity identity;
        try
        {
            identity = await services.Jumps.IdentityAsync(target, services.Ca, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Without its certificate the inner connection could only show a key no client trusts: refused, not served unverifiable.
            services.Logger.LogError(e, "ProxyJump of {User} to {Target} refused: the host CA could not sign its host certificate", user.User, target);
            var message = $"gatehouse: ProxyJump to {target} is refused: its host certificate could not be signed right now; try again shortly";
            await RecordRefusalAsync(request, ForwardingRefusalReason.HostCertificateUnavailable, message);
            return SshChannelOpening.Refuse(SshChannelOpenFailure.ConnectFailed, message);
        }

        services.Logger.LogInformation("ProxyJump of {User} to {Target}: serving the inner SSH connection", user.User, target);
        return SshChannelOpening.Accept(() => services.Jumps.ServeAsync(channel, new JumpBinding(user, target), identity, services));
    }

    /// <summary>A change of access that withdraws this user or key: no more inner connections (the open ones follow it themselves).</summary>
    public void Apply(AccessChange change)
    {
        var withdrawal = AccessWithdrawals.For(new ReliedAccess(user.User, user.KeyFingerprint, "", null), change);
        if (withdrawal.Action == WithdrawalAction.End)
        {
            _withdrawn ??= withdrawal.Reason;
        }
    }

    /// <summary>The session channel a client opens by habit (ssh without -N or -W): refused once it asks for a shell, command or subsystem.</summary>
    public ISshSessionHandler RefusedSession() => new JumpOnlySession(this);

    private async Task RecordRefusalAsync(SshDirectTcpIpRequest request, ForwardingRefusalReason reason, string message)
    {
        var id = Guid.NewGuid();
        try
        {
            await services.Journal.StartAsync(id, _events.ForwardRefused(id, ForwardingRules.Printable(request.Host), "", ForwardingKind.Local,
                ForwardingRules.Printable(request.Host), (int)request.Port, reason, message), CancellationToken.None);
        }
        catch (Exception e)
        {
            services.Logger.LogError(e, "The refused ProxyJump of {User} could not be recorded", user.User);
        }
    }

    private async Task RefuseSessionAsync(SshChannel channel, bool onTerminal)
    {
        var message = $"gatehouse: {user.User} signed in without a target, which only carries ProxyJump (ssh -J {user.User}@gateway <login>@<target>); " +
            $"for a shell, sign in as {user.User}:<login>@<target>";
        var id = Guid.NewGuid();
        try
        {
            await services.Journal.StartAsync(id, _events.Refused(id, "", "", SessionRefusalReason.ProxyJumpOnly, message), CancellationToken.None);
        }
        catch (Exception e)
        {
            services.Logger.LogError(e, "The refused session of {User} on a ProxyJump connection could not be recorded", user.User);
        }

        var terminal = new UserTerminal(channel) { OnTerminal = onTerminal };
        await terminal.TellAsync(message);
        await terminal.ExitQuietlyAsync(1);
    }

    private sealed class JumpOnlySession(ProxyJumps jumps) : ISshSessionHandler
    {
        private bool _onTerminal;

        public ValueTask<bool> HandleRequestAsync(SshChannel channel, SshSessionRequest request, CancellationToken cancellationToken)
        {
            switch (request)
            {
                case SshPtyRequest:
                    _onTerminal = true;
                    return ValueTask.FromResult(true);
                case SshShellRequest or SshExecRequest or SshSubsystemRequest:
                    _ = jumps.RefuseSessionAsync(channel, _onTerminal);
                    return ValueTask.FromResult(true);
                default:
                    return ValueTask.FromResult(false);
            }
        }
    }
}
