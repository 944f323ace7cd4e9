using Gatehouse.Contracts;
using Gatehouse.Contracts.Authentication;
using Gatehouse.Contracts.Authorization;
using Gatehouse.ServiceDefaults.EventStore;
using Gatehouse.SessionBroker.Commands;
using Gatehouse.SessionBroker.Connecting;
using Gatehouse.SessionBroker.Sessions;
using Gatehouse.SessionBroker.Sessions.Forwarding;
using Gatehouse.SessionBroker.Sessions.WithdrawingAccess;
using Gatehouse.SessionBroker.Targets;
using Gatehouse.Ssh;
using MassTransit;

namespace Gatehouse.SessionBroker.Gateway;

/// <summary>
/// What authorization said for this connection: allowed, or refused with the line the user is shown and, when it says less,
/// the precise line the session's record keeps.
/// </summary>
public sealed record AccessDecision(AccessAllowed? Allowed, SessionRefusalReason Reason, string Message, string? Recorded = null);

/// <summary>
/// One user's SSH connection to the gateway: authentication against the Authentication service (public key or password,
/// then a one-time code through keyboard-interactive when required), an access decision for each session it opens, and
/// the connection to the target that the connection's sessions share.
/// </summary>
public sealed class GatewayConnection : ISshConnectionHandler
{
    private readonly SshConnectionInfo _info;
    private readonly GatewayServices _services;
    private readonly SemaphoreSlim _targetLock = new(1, 1);
    private GatewayUserName? _name;
    private bool _awaitingCode;
    private bool _mfaVerified;
    private volatile IReadOnlyList<string> _apiRoles = [];
    private DateTimeOffset _apiRolesAsOf = DateTimeOffset.MinValue;
    private readonly Lock _apiRolesLock = new();
    private string? _keyFingerprint;
    private volatile string? _withdrawn;
    private string? _pendingRefusal;
    private Prepared<AccessDecision>? _preparedDecision;
    private Prepared<CommandPolicyCheck>? _preparedPolicies;
    private Task<TargetConnection>? _prepared;
    private TargetConnection? _target;

    /// <summary>
    /// The decision and policies asked for while the client was still opening its first channel, taken by that channel if
    /// nothing changed since: <paramref name="Changes"/> is what <see cref="LiveSessions.AccessChanges"/> or
    /// <see cref="LiveSessions.PolicyChanges"/> was when they were asked.
    /// </summary>
    private sealed record Prepared<T>(Task<T> Answer, long Changes, DateTimeOffset AskedAt);

    /// <summary>
    /// How long a decision asked at sign-in stands for the first channel: a client that waits longer (a master connection
    /// opened with -N) gets a fresh one, so time windows are applied when the session opens.
    /// </summary>
    private static readonly TimeSpan PreparedLifetime = TimeSpan.FromSeconds(5);

    public GatewayConnection(SshConnectionInfo info, GatewayServices services)
    {
        _info = info;
        _services = services;
    }

    /// <summary>Every event of this connection (login and sessions) carries it; it also names the connection's own stream.</summary>
    public Guid ConnectionId { get; } = Guid.NewGuid();

    public string CorrelationId => CorrelationIds.Of(ConnectionId);

    public string SourceAddress => _info.RemoteEndPoint.Address.ToString();

    public GatewayUserName Name => _name ?? throw new InvalidOperationException("not authenticated");

    /// <summary>The login used on the target: the one named, else the Gatehouse user name (as ssh defaults to the local user).</summary>
    public string Login => Name.Login ?? Name.User;

    /// <summary>The fingerprint (SHA256:..., as Authentication writes it) of the key this connection signed in with; null for a password.</summary>
    public string? KeyFingerprint => _keyFingerprint;

    /// <summary>Why this connection may open no more sessions (its user or key was withdrawn); null while it may.</summary>
    public string? Withdrawn => _withdrawn;

    public ValueTask<SshAuthResult> AuthenticatePublicKeyAsync(string userName, SshPublicKey key, CancellationToken cancellationToken) =>
        FirstFactorAsync(userName, SshAuthMethods.PublicKey,
            name => new AuthenticatePublicKey(name.User, key.KeyType, Convert.ToBase64String(key.Blob.Span), SourceAddress, CorrelationId),
            (PublicKeyAccepted accepted) => (accepted.MfaRequired, accepted.Roles, accepted.KeyFingerprint), cancellationToken);

    public ValueTask<SshAuthResult> CheckPasswordAsync(string userName, string password, CancellationToken cancellationToken) =>
        FirstFactorAsync(userName, SshAuthMethods.Password,
            name => new AuthenticatePassword(name.User, password, SourceAddress, CorrelationId),
            (PasswordAccepted accepted) => (accepted.MfaRequired, accepted.Roles, (string?)null), cancellationToken);

    /// <summary>
    /// Asks Authentication about a first factor (key or password); it records the attempt either way and applies the
    /// lockout. With an authenticator enrolled the user goes on to the one-time code (partial success).
    /// </summary>
    private async ValueTask<SshAuthResult> FirstFactorAsync<TRequest, TAccepted>(string userName, string method,
        Func<GatewayUserName, TRequest> request, Func<TAccepted, (bool MfaRequired, IReadOnlyList<string> Roles, string? KeyFingerprint)> read,
        CancellationToken cancellationToken) where TRequest : class where TAccepted : class
    {
        if (!GatewayUserName.TryParse(userName, out var name, out var error))
        {
            _services.Logger.LogInformation("Refused {UserName} from {Source}: {Error}", userName, SourceAddress, error);
            await RecordUnreadableNameAsync(userName, error);
            return Refuse(method, error);
        }

        try
        {
            var response = await AskAuthenticationAsync<TRequest, TAccepted>(request(name), cancellationToken);
            if (!response.Is(out Response<TAccepted>? accepted))
            {
                return Refuse(method, ((AuthenticationRefused)response.Message).Message);
            }

            var (mfaRequired, roles, fingerprint) = read(accepted.Message);
            (_name, _awaitingCode, _apiRoles, _keyFingerprint, _pendingRefusal) = (name, mfaRequired, roles, fingerprint, null);
            if (mfaRequired)
            {
                return SshAuthResult.Partial(SshAuthMethods.KeyboardInteractive);
            }

            Prepare();
            return SshAuthResult.Success;
        }
        catch (Exception e) when (IsNoAnswer(e, cancellationToken))
        {
            _services.Logger.LogWarning("Authentication did not answer for {User} from {Source}; refusing", name.User, SourceAddress);
            return Refuse(method, "the Authentication service did not answer in time, so the login is refused; try again shortly");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The bus itself failed (the broker is down): no answer, so no login.
            _services.Logger.LogError(e, "Authentication could not be asked for {User} from {Source}; refusing", name.User, SourceAddress);
            return Refuse(method, "the Authentication service cannot be reached, so the login is refused; try again shortly");
        }
    }

    /// <summary>
    /// A name the gateway cannot read never reaches Authentication, so the gateway records the attempt itself: a refused
    /// session of its own, with the name as given (shortened, control characters replaced) and why it was refused.
    /// </summary>
    private async Task RecordUnreadableNameAsync(string userName, string error)
    {
        var given = new string(userName.Take(128).Select(c => char.IsControl(c) ? '?' : c).ToArray());
        var attempt = Guid.NewGuid();
        try
        {
            var now = _services.Clock.GetUtcNow();
            await _services.Journal.AppendAsync(attempt, new SessionRefused(attempt, given, "", "", SessionRefusalReason.UnreadableUserName,
                error, given, SourceAddress, CorrelationId, EventIds.New(now), now), CancellationToken.None);
        }
        catch (Exception e)
        {
            _services.Logger.LogError(e, "The refused user name from {Source} could not be recorded", SourceAddress);
        }
    }

    /// <summary>
    /// Asks Authentication within the decision timeout. The request's own timeout does not cover a bus that waits for an
    /// unreachable broker (even before the request returns a task): the deadline does, else the login would hang until
    /// the client gives up.
    /// </summary>
    private async Task<Response<TAccepted, AuthenticationRefused>> AskAuthenticationAsync<TRequest, TAccepted>(TRequest request,
        CancellationToken cancellationToken) where TRequest : class where TAccepted : class
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(_services.Settings.DecisionTimeout);
        var timeout = RequestTimeout.After(ms: (int)_services.Settings.DecisionTimeout.TotalMilliseconds);
        return await Task.Run(() => _services.Bus.CreateRequestClient<TRequest>(timeout)
                .GetResponse<TAccepted, AuthenticationRefused>(request, deadline.Token), deadline.Token)
            .WaitAsync(deadline.Token);
    }

    private static bool IsNoAnswer(Exception e, CancellationToken connection) =>
        e is RequestTimeoutException || e is OperationCanceledException && !connection.IsCancellationRequested;

    /// <summary>
    /// ssh goes on from a refused key to keyboard-interactive, whose round shows the reason (see
    /// <see cref="KeyboardInteractiveAsync"/>); after a refused password it only asks for the password again, so that
    /// reason is shown at once, as a banner.
    /// </summary>
    private SshAuthResult Refuse(string method, string reason)
    {
        if (method == SshAuthMethods.Password)
        {
            return SshAuthResult.Refused($"gatehouse: {reason}");
        }

        _pendingRefusal = reason;
        return SshAuthResult.Failure;
    }

    public async ValueTask<SshKeyboardInteractiveStep> KeyboardInteractiveAsync(string userName, IReadOnlyList<string>? responses, CancellationToken cancellationToken)
    {
        if (_pendingRefusal is { } refusal)
        {
            if (responses is null)
            {
                // ssh prints a round's instruction, so a round without prompts is how the user learns why they were
                // refused (the key, the user name, the code); answering it ends the attempt.
                return SshKeyboardInteractiveStep.Ask("", $"gatehouse: {refusal}");
            }

            _pendingRefusal = null;
            return SshKeyboardInteractiveStep.Finish(SshAuthResult.Failure);
        }

        if (!_awaitingCode || _name is null)
        {
            // Nothing to ask yet (ssh tries this before the password). OpenSSH drops keyboard-interactive for the connection
            // when its first try saw no round of prompts, or after a few tries, either of which would leave a password user no
            // way to the one-time code: so one empty round, then it is withdrawn until a first factor asks for the code.
            return responses is null
                ? SshKeyboardInteractiveStep.Ask("", "")
                : SshKeyboardInteractiveStep.Finish(SshAuthResult.FailureAllowing(SshAuthMethods.PublicKey, SshAuthMethods.Password));
        }

        if (responses is null)
        {
            return SshKeyboardInteractiveStep.Ask("Gatehouse", "Your account requires a second factor.",
                new SshPrompt("One-time code: ", false));
        }

        if (responses.Count != 1)
        {
            return SshKeyboardInteractiveStep.Finish(SshAuthResult.Failure);
        }

        try
        {
            var response = await AskAuthenticationAsync<VerifyMfa, MfaVerified>(
                new VerifyMfa(_name.User, responses[0].Trim(), SourceAddress, CorrelationId), cancellationToken);
            if (response.Is(out Response<MfaVerified>? verified))
            {
                (_mfaVerified, _apiRoles) = (true, verified.Message.Roles);
                Prepare();
                return SshKeyboardInteractiveStep.Finish(SshAuthResult.Success);
            }

            var refused = (AuthenticationRefused)response.Message;
            _pendingRefusal = refused.Message;
            return SshKeyboardInteractiveStep.Ask("", $"gatehouse: {refused.Message}");
        }
        catch (Exception e) when (IsNoAnswer(e, cancellationToken))
        {
            return SshKeyboardInteractiveStep.Finish(SshAuthResult.Failure);
        }
    }

    public ValueTask<ISshSessionHandler?> OpenSessionAsync(SshChannel channel, CancellationToken cancellationToken) =>
        ValueTask.FromResult<ISshSessionHandler?>(_name is null ? null : new BrokeredSession(this, channel, _services));

    public ValueTask<SshChannelOpening> OpenDirectTcpIpAsync(SshChannel channel, SshDirectTcpIpRequest request, CancellationToken cancellationToken) =>
        new Forwards(this, _services).OpenLocalAsync(channel, request, cancellationToken);

    public ValueTask RemoteForwardingRefusedAsync(SshRemoteForwardRequest request, CancellationToken cancellationToken) =>
        new Forwards(this, _services).RemoteRefusedAsync(request);

    public ValueTask<bool> SessionForwardingRequestAsync(SshChannel channel, SshSessionForwardingRequest request, CancellationToken cancellationToken) =>
        new Forwards(this, _services).RefuseSessionForwardingAsync(channel, request, cancellationToken);

    /// <summary>
    /// Whether this user may open a session on the target as this login, now: asked of Authorization for every session
    /// (the first may take the answer asked at sign-in, if it is seconds old and no change of access came since).
    /// </summary>
    public async Task<AccessDecision> DecideAccessAsync()
    {
        if (_withdrawn is { } withdrawn)
        {
            return WithdrawnDecision(withdrawn);
        }

        if (Interlocked.Exchange(ref _preparedDecision, null) is { } prepared && IsCurrent(prepared, _services.Live.AccessChanges))
        {
            return await prepared.Answer;
        }

        return await AskAuthorizationAsync();
    }

    /// <summary>The command policies that apply to this user on the target now: fetched for every session, like the decision.</summary>
    public async Task<CommandPolicyCheck> CommandPoliciesAsync()
    {
        if (Interlocked.Exchange(ref _preparedPolicies, null) is { } prepared && IsCurrent(prepared, _services.Live.PolicyChanges))
        {
            return await prepared.Answer;
        }

        return await FetchPoliciesAsync();
    }

    private bool IsCurrent<T>(Prepared<T> prepared, long changes) =>
        prepared.Changes == changes && _services.Clock.GetUtcNow() - prepared.AskedAt < PreparedLifetime;

    private AccessDecision WithdrawnDecision(string withdrawn)
    {
        var name = Name;
        return new AccessDecision(null, SessionRefusalReason.AccessRefused, $"gatehouse: access to {name.Target} as {Login} is refused: {withdrawn}",
            $"gatehouse: access to {name.Target} as {Login} is refused: {withdrawn} while this connection was open");
    }

    /// <summary>What this connection relies on, for deciding which changes of access reach it.</summary>
    public ReliedAccess Relied(AccessAllowed? access) =>
        new(Name.User, _keyFingerprint, access?.Target ?? Name.Target, access?.GrantId);

    /// <summary>
    /// A change of access reached the gateway: when it withdraws this connection's user or key, no new session opens on
    /// it; a change of roles is taken for the sessions asked for from now on.
    /// </summary>
    public void Apply(AccessChange change)
    {
        if (_name is null)
        {
            return;
        }

        var withdrawal = AccessWithdrawals.For(Relied(null), change);
        if (withdrawal.Action == WithdrawalAction.End)
        {
            _withdrawn ??= withdrawal.Reason;
        }
        else if (change is MembershipChanged { ApiRoles: { } apiRoles, At: var at } && withdrawal.Action == WithdrawalAction.Recheck)
        {
            lock (_apiRolesLock)
            {
                // Events may arrive out of order: only a newer change replaces the API roles.
                if (at > _apiRolesAsOf)
                {
                    (_apiRoles, _apiRolesAsOf) = (apiRoles, at);
                }
            }
        }
    }

    /// <summary>
    /// The connection to the target, shared by the connection's sessions. The first session takes the one prepared
    /// while the client was still opening its channel (or that preparation's failure).
    /// </summary>
    public async Task<TargetConnection> TargetAsync(AccessAllowed access, CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _prepared, null) is { } prepared)
        {
            try
            {
                return await prepared;
            }
            catch (TargetConnectionException e) when (e.Reason is SessionRefusalReason.AccessRefused or SessionRefusalReason.DecisionUnavailable)
            {
                // Refused at sign-in, allowed by this session's own decision since: connect now.
            }
        }

        return await ConnectAsync(access, cancellationToken);
    }

    /// <summary>
    /// Once the user is authenticated, asks for the decision and the command policies and connects to the target
    /// at once, instead of one after the other when the first session asks: that is most of the time to the prompt.
    /// </summary>
    private void Prepare()
    {
        _services.Live.Add(this);
        var now = _services.Clock.GetUtcNow();
        var policies = new Prepared<CommandPolicyCheck>(FetchPoliciesAsync(), _services.Live.PolicyChanges, now);
        var decided = new Prepared<AccessDecision>(AskAuthorizationAsync(), _services.Live.AccessChanges, now);
        (_preparedPolicies, _preparedDecision) = (policies, decided);
        _prepared = Task.Run(async () =>
        {
            var decision = await decided.Answer;
            if (decision.Allowed is not { } access)
            {
                throw new TargetConnectionException(decision.Message, decision.Reason);
            }

            return await ConnectAsync(access, CancellationToken.None);
        });
        // Observed here too, in case the client never opens a session.
        _prepared.ContinueWith(t => _ = t.Exception, TaskContinuationOptions.OnlyOnFaulted);
        policies.Answer.ContinueWith(t => _ = t.Exception, TaskContinuationOptions.OnlyOnFaulted);
        decided.Answer.ContinueWith(t => _ = t.Exception, TaskContinuationOptions.OnlyOnFaulted);
    }

    private async Task<TargetConnection> ConnectAsync(AccessAllowed access, CancellationToken cancellationToken)
    {
        await _targetLock.WaitAsync(cancellationToken);
        try
        {
            if (_target is { IsConnected: true })
            {
                return _target;
            }

            _target?.Dispose();
            _target = null;
            var credential = await _services.Vault.OpenAsync(access.Target, access.Login, cancellationToken)
                             ?? throw new TargetConnectionException(
                                 $"the vault holds no credential for {access.Login}@{access.Target}; an administrator must store one",
                                 SessionRefusalReason.NoCredential);
            TargetConnection connection;
            try
            {
                connection = await TargetConnection.ConnectAsync(access, credential, _services.Settings.TargetConnectTimeout, cancellationToken);
            }
            catch (TargetConnectionException e) when (e.Reason == SessionRefusalReason.HostKeyMismatch && e.OfferedHostKey is not null)
            {
                await RecordMismatchAsync(access, e.OfferedHostKey, cancellationToken);
                throw;
            }
            finally
            {
                Array.Clear(credential.Secret);
            }

            if (connection.UnpinnedHostKey is { } offered)
            {
                await PinAsync(access, connection, offered, cancellationToken);
            }

            return _target = connection;
        }
        finally
        {
            _targetLock.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _services.Live.Remove(this);
        if (Interlocked.Exchange(ref _prepared, null) is { } prepared)
        {
            try
            {
                await prepared;
            }
            catch (Exception e) when (e is TargetConnectionException or OperationCanceledException)
            {
                // Nothing was opened.
            }
        }

        await _targetLock.WaitAsync();
        _target?.Dispose();
        _target = null;
        _targetLock.Release();
    }

    private async Task<AccessDecision> AskAuthorizationAsync()
    {
        var name = Name;
        try
        {
            var client = _services.Bus.CreateRequestClient<CheckAccess>(RequestTimeout.After(ms: (int)_services.Settings.DecisionTimeout.TotalMilliseconds));
            var response = await client.GetResponse<AccessAllowed, AccessRefused>(
                new CheckAccess(name.User, _apiRoles, name.Target, Login, SourceAddress, _mfaVerified, CorrelationId));
            if (response.Is(out Response<AccessAllowed>? allowed))
            {
                return new AccessDecision(allowed.Message, default, "");
            }

            var refused = (AccessRefused)response.Message;
            return new AccessDecision(null, SessionRefusalReason.AccessRefused,
                $"gatehouse: access to {name.Target} as {Login} is refused: {refused.ShownToUser ?? AccessRefused.NotCovered}",
                $"gatehouse: access to {name.Target} as {Login} is refused ({refused.Reason}): {refused.Detail}");
        }
        catch (RequestTimeoutException)
        {
            return new AccessDecision(null, SessionRefusalReason.DecisionUnavailable,
                "gatehouse: Authorization did not answer in time, so access is refused; try again shortly");
        }
    }

    private async Task<CommandPolicyCheck> FetchPoliciesAsync()
    {
        var name = Name;
        var client = _services.Bus.CreateRequestClient<GetCommandPolicies>(RequestTimeout.After(ms: (int)_services.Settings.DecisionTimeout.TotalMilliseconds));
        var response = await client.GetResponse<CommandPoliciesForSession>(new GetCommandPolicies(name.User, _apiRoles, name.Target));
        return new CommandPolicyCheck(response.Message.Policies);
    }

    private async Task PinAsync(AccessAllowed access, TargetConnection connection, string offered, CancellationToken cancellationToken)
    {
        try
        {
            var client = _services.Bus.CreateRequestClient<PinTargetHostKey>(RequestTimeout.After(ms: (int)_services.Settings.DecisionTimeout.TotalMilliseconds));
            var response = await client.GetResponse<TargetHostKeyAccepted, TargetHostKeyRejected>(
                new PinTargetHostKey(access.Target, offered, Name.User, SourceAddress, CorrelationId), cancellationToken);
            if (response.Is(out Response<TargetHostKeyRejected>? rejected))
            {
                connection.Dispose();
                throw new TargetConnectionException(
                    $"the host key {PinnedHostKey.TryParse(offered)?.Fingerprint} offered by {access.Target} was not accepted: {rejected.Message.Detail}",
                    SessionRefusalReason.HostKeyMismatch);
            }
        }
        catch (RequestTimeoutException)
        {
            connection.Dispose();
            throw new TargetConnectionException($"{access.Target} has no pinned host key and Authorization did not answer to pin one",
                SessionRefusalReason.DecisionUnavailable);
        }
    }

    private async Task RecordMismatchAsync(AccessAllowed access, string offered, CancellationToken cancellationToken)
    {
        var now = _services.Clock.GetUtcNow();
        try
        {
            await _services.Journal.AppendAsync(ConnectionId, new TargetHostKeyMismatched(access.Target,
                $"{access.TargetAddress}:{access.TargetPort}", PinnedHostKey.TryParse(access.TargetHostKey)?.Fingerprint ?? "",
                PinnedHostKey.TryParse(offered)!.Fingerprint, Name.User, SourceAddress, CorrelationId, EventIds.New(now), now), cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _services.Logger.LogError(e, "Could not record the host key mismatch of {Target}", access.Target);
        }
    }
}
