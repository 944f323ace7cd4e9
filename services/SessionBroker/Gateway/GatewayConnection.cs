using Gatehouse.Contracts;
using Gatehouse.ServiceDefaults.EventStore;
using Gatehouse.SessionBroker.Jumping;
using Gatehouse.SessionBroker.Sessions;
using Gatehouse.SessionBroker.Sessions.Forwarding;
using Gatehouse.SessionBroker.Sessions.WithdrawingAccess;
using Gatehouse.SessionBroker.Targets;
using Gatehouse.Ssh;

namespace Gatehouse.SessionBroker.Gateway;

/// <summary>
/// One user's SSH connection to the gateway: the login conversation, then the place where the channels it opens are
/// routed ("session" channels to a <see cref="BrokeredSession"/>, other kinds to their handlers), each session with the
/// connection's access, which decides every channel when it opens. A connection signed in without a target carries
/// only ProxyJump (<see cref="ProxyJumps"/>); the inner connection it serves is a connection of this kind too, bound to it.
/// </summary>
public sealed class GatewayConnection : ISshConnectionHandler
{
    private readonly GatewayServices _services;
    private readonly LoginConversation _login;
    private readonly SshAlgorithms _clientSsh;
    private ConnectionAccess? _access;
    private RemoteForwards? _remoteForwards;
    private ProxyJumps? _jumps;

    public GatewayConnection(SshConnectionInfo info, GatewayServices services, JumpBinding? jump = null)
    {
        _services = services;
        _clientSsh = new SshAlgorithms(info.KeyExchange, SshAlgorithms.CipherOf(info.CipherClientToServer, info.CipherServerToClient),
            info.HostKeyAlgorithm);
        _login = new LoginConversation(ConnectionId, info.RemoteEndPoint.Address.ToString(), services, jump);
    }

    /// <summary>Every event of this connection (login and sessions) carries it; it also names the connection's own stream.</summary>
    public Guid ConnectionId { get; } = Guid.NewGuid();

    public string CorrelationId => CorrelationIds.Of(ConnectionId);

    public ValueTask<SshAuthResult> AuthenticatePublicKeyAsync(string userName, SshPublicKey key, CancellationToken cancellationToken) =>
        SignedInAfter(_login.AuthenticatePublicKeyAsync(userName, key, cancellationToken));

    public ValueTask<SshAuthResult> CheckPasswordAsync(string userName, string password, CancellationToken cancellationToken) =>
        SignedInAfter(_login.CheckPasswordAsync(userName, password, cancellationToken));

    public async ValueTask<SshKeyboardInteractiveStep> KeyboardInteractiveAsync(string userName, IReadOnlyList<string>? responses,
        CancellationToken cancellationToken)
    {
        var step = await _login.KeyboardInteractiveAsync(userName, responses, cancellationToken);
        StartAccessOnceSignedIn();
        return step;
    }

    private async ValueTask<SshAuthResult> SignedInAfter(ValueTask<SshAuthResult> answer)
    {
        var result = await answer;
        StartAccessOnceSignedIn();
        return result;
    }

    /// <summary>
    /// Once the user is in, the connection follows changes of access, and the first session's access is prepared at
    /// once to hide its latency (<see cref="ConnectionAccess.PrepareEarly"/>).
    /// </summary>
    private void StartAccessOnceSignedIn()
    {
        if (_access is not null || _jumps is not null || _login.SignedIn is not { } user)
        {
            return;
        }

        user = user with { ClientSsh = _clientSsh };
        if (user.Name.JumpOnly)
        {
            _jumps = new ProxyJumps(user, _services);
            _services.Live.Add(this);
            return;
        }

        var events = SessionEvents.For(user, _services.Clock);
        _access = new ConnectionAccess(user, _services, new TargetConnector(_services, user, events, ConnectionId));
        _remoteForwards = new RemoteForwards(_access, _services);
        _services.Live.Add(this);
        _access.PrepareEarly();
    }

    /// <summary>A "session" channel: brokered to the target once its own access was prepared; refused before sign-in.</summary>
    public ValueTask<ISshSessionHandler?> OpenSessionAsync(SshChannel channel, CancellationToken cancellationToken) =>
        ValueTask.FromResult(_access is { } access ? new BrokeredSession(access, channel, _services)
            : _jumps?.RefusedSession());

    /// <summary>ssh -L / -W: a tunnel from the target, decided for this channel; ProxyJump's inner connection; refused before sign-in.</summary>
    public ValueTask<SshChannelOpening> OpenDirectTcpIpAsync(SshChannel channel, SshDirectTcpIpRequest request, CancellationToken cancellationToken) =>
        _access is { } access ? new Forwards(access, _services).OpenLocalAsync(channel, request, cancellationToken)
        : _jumps is { } jumps ? jumps.OpenAsync(channel, request, cancellationToken)
        : ValueTask.FromResult(SshChannelOpening.Refuse(SshChannelOpenFailure.AdministrativelyProhibited, "gatehouse: sign in first"));

    /// <summary>ssh -R: the target listens for the client when the grant allows it; refused before sign-in and on a ProxyJump connection.</summary>
    public ValueTask<SshRemoteForwardAnswer> RemoteForwardAsync(SshRemoteForwardRequest request, SshForwardedChannels channels,
        CancellationToken cancellationToken) =>
        _remoteForwards?.ListenAsync(request, channels, cancellationToken) ?? ValueTask.FromResult(SshRemoteForwardAnswer.Refused);

    public ValueTask<bool> CancelRemoteForwardAsync(SshRemoteForwardRequest request, CancellationToken cancellationToken) =>
        _remoteForwards?.CancelAsync(request) ?? ValueTask.FromResult(false);

    public ValueTask<bool> SessionForwardingRequestAsync(SshChannel channel, SshSessionForwardingRequest request, CancellationToken cancellationToken) =>
        _access is { } access ? new Forwards(access, _services).RefuseSessionForwardingAsync(channel, request, cancellationToken) : ValueTask.FromResult(false);

    /// <summary>A change of access reached the gateway: applied to what this connection may still open.</summary>
    public void Apply(AccessChange change)
    {
        _access?.Apply(change);
        _jumps?.Apply(change);
    }

    public async ValueTask DisposeAsync()
    {
        _services.Live.Remove(this);
        if (_remoteForwards is { } remoteForwards)
        {
            await remoteForwards.DisposeAsync();
        }

        if (_access is { } access)
        {
            await access.DisposeAsync();
        }
    }
}
