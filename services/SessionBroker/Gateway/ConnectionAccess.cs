using Gatehouse.Contracts;
using Gatehouse.Contracts.Authorization;
using Gatehouse.SessionBroker.Commands;
using Gatehouse.SessionBroker.Sessions;
using Gatehouse.SessionBroker.Sessions.WithdrawingAccess;
using Gatehouse.SessionBroker.Targets;
using MassTransit;

namespace Gatehouse.SessionBroker.Gateway;

/// <summary>
/// What authorization said for a session: allowed, or refused with the line the user is shown and, when it says less,
/// the precise line the session's record keeps.
/// </summary>
public sealed record AccessDecision(AccessAllowed? Allowed, SessionRefusalReason Reason, string Message, string? Recorded = null);

/// <summary>A session channel ready to start: the decision that allows it, the command policies and the target connection.</summary>
public sealed record PreparedSession(AccessAllowed Access, CommandPolicyCheck Policies, long PolicyChanges, TargetConnection Target);

/// <summary>
/// A session channel refused before it reached the target: the line the user is shown, what the record keeps, and
/// whether a record can be written at all (not when the session store itself is down).
/// </summary>
public sealed record SessionRefusal(SessionRefusalReason Reason, string Message, string? Recorded = null, AccessAllowed? Access = null,
    bool Recordable = true);

/// <summary>
/// The access of one signed-in connection: every session channel it opens is prepared by one code path (decision,
/// command policies, target connection with its pinned host key), asked when the channel opens. The first may take what
/// was asked right after sign-in, if it is seconds old and no change of access or policies came since; the target
/// connection is shared by the connection's sessions. Changes of access that reach the connection are applied here.
/// </summary>
public sealed class ConnectionAccess(SignedInUser user, GatewayServices services, TargetConnector connector) : IAsyncDisposable
{
    /// <summary>
    /// How long an answer asked at sign-in stands for the first channel: a client that waits longer (a master connection
    /// opened with -N) gets a fresh one, so time windows are applied when the session opens.
    /// </summary>
    public static readonly TimeSpan EarlyAnswerLifetime = TimeSpan.FromSeconds(5);

    private readonly SemaphoreSlim _targetLock = new(1, 1);
    private readonly Lock _rolesLock = new();
    private volatile IReadOnlyList<string> _apiRoles = user.ApiRoles;
    private DateTimeOffset _apiRolesAsOf = DateTimeOffset.MinValue;
    private volatile string? _withdrawn;
    private Early? _early;
    private TargetConnection? _target;

    /// <summary>The answers asked right after sign-in; <c>Changes</c> is what the change counter was when they were asked.</summary>
    private sealed record Early(Task<AccessDecision> Decision, long AccessChanges, Task<CommandPolicyCheck> Policies, long PolicyChanges,
        Task<TargetConnection> Target, DateTimeOffset AskedAt);

    public SignedInUser User => user;

    /// <summary>Why this connection may open no more sessions (its user or key was withdrawn); null while it may.</summary>
    public string? Withdrawn => _withdrawn;

    /// <summary>
    /// Right after sign-in, asks for the decision and the command policies and connects to the target at once, instead of
    /// one after the other when the first channel opens: that is most of the time to the prompt.
    /// </summary>
    public void PrepareEarly()
    {
        var now = services.Clock.GetUtcNow();
        var (accessChanges, policyChanges) = (services.Live.AccessChanges, services.Live.PolicyChanges);
        var policies = FetchPoliciesAsync();
        var decision = AskAuthorizationAsync();
        var target = Task.Run(async () =>
        {
            var decided = await decision;
            if (decided.Allowed is not { } access)
            {
                throw new TargetConnectionException(decided.Message, decided.Reason);
            }

            return await ConnectAsync(access, CancellationToken.None);
        });
        // Observed here too, in case the client never opens a session.
        foreach (var task in new Task[] { policies, decision, target })
        {
            task.ContinueWith(t => _ = t.Exception, TaskContinuationOptions.OnlyOnFaulted);
        }

        _early = new Early(decision, accessChanges, policies, policyChanges, target, now);
    }

    /// <summary>Prepares a session channel that just opened: decision, policies, target; or why it is refused.</summary>
    public async Task<(PreparedSession? Prepared, SessionRefusal? Refusal)> PrepareSessionAsync(CancellationToken cancellationToken)
    {
        var early = Interlocked.Exchange(ref _early, null);
        var decision = await DecideAsync(early);
        if (decision.Allowed is not { } access)
        {
            return (null, new SessionRefusal(decision.Reason, decision.Message, decision.Recorded));
        }

        CommandPolicyCheck policies;
        long policyChanges;
        try
        {
            if (early is not null && IsCurrent(early, early.PolicyChanges, services.Live.PolicyChanges))
            {
                (policies, policyChanges) = (await early.Policies, early.PolicyChanges);
            }
            else
            {
                policyChanges = services.Live.PolicyChanges;
                policies = await FetchPoliciesAsync();
            }
        }
        catch (RequestTimeoutException)
        {
            return (null, new SessionRefusal(SessionRefusalReason.DecisionUnavailable,
                "gatehouse: the command policies for this target could not be fetched, so the session is refused", Access: access));
        }

        try
        {
            return (new PreparedSession(access, policies, policyChanges, await TargetAsync(access, early?.Target, cancellationToken)), null);
        }
        catch (TargetConnectionException e)
        {
            return (null, new SessionRefusal(e.Reason, $"gatehouse: {e.Message}", Access: access));
        }
        catch (Exception e) when (e is Npgsql.NpgsqlException or Marten.Exceptions.MartenException or TimeoutException)
        {
            // The vault lives in the same store as the session record: without it nothing could be recorded either.
            services.Logger.LogError(e, "Session of {User} on {Target} refused: the session store is unavailable", user.User, access.Target);
            return (null, new SessionRefusal(SessionRefusalReason.TargetUnreachable, UserTerminal.StoreUnavailable, Access: access,
                Recordable: false));
        }
    }

    /// <summary>Whether this user may open a session on the target as this login, now (asked again for a live session after a change).</summary>
    public Task<AccessDecision> DecideAsync() => DecideAsync(null);

    /// <summary>The command policies that apply to this user on the target now.</summary>
    public Task<CommandPolicyCheck> PoliciesAsync() => FetchPoliciesAsync();

    /// <summary>What this connection relies on (with a session's grant, what that session relies on), for deciding which changes reach it.</summary>
    public ReliedAccess Relied(AccessAllowed? access) =>
        new(user.User, user.KeyFingerprint, access?.Target ?? user.Target, access?.GrantId);

    /// <summary>
    /// A change of access reached the gateway: when it withdraws this connection's user or key, no new session opens on
    /// it; a change of roles is taken for the sessions asked for from now on.
    /// </summary>
    public void Apply(AccessChange change)
    {
        var withdrawal = AccessWithdrawals.For(Relied(null), change);
        if (withdrawal.Action == WithdrawalAction.End)
        {
            _withdrawn ??= withdrawal.Reason;
        }
        else if (change is MembershipChanged { ApiRoles: { } apiRoles, At: var at } && withdrawal.Action == WithdrawalAction.Recheck)
        {
            lock (_rolesLock)
            {
                // Events may arrive out of order: only a newer change replaces the API roles.
                if (at > _apiRolesAsOf)
                {
                    (_apiRoles, _apiRolesAsOf) = (apiRoles, at);
                }
            }
        }
    }

    private async Task<AccessDecision> DecideAsync(Early? early)
    {
        if (_withdrawn is { } withdrawn)
        {
            return new AccessDecision(null, SessionRefusalReason.AccessRefused,
                $"gatehouse: access to {user.Target} as {user.Login} is refused: {withdrawn}",
                $"gatehouse: access to {user.Target} as {user.Login} is refused: {withdrawn} while this connection was open");
        }

        return early is not null && IsCurrent(early, early.AccessChanges, services.Live.AccessChanges)
            ? await early.Decision
            : await AskAuthorizationAsync();
    }

    private bool IsCurrent(Early early, long changesThen, long changesNow) =>
        changesThen == changesNow && services.Clock.GetUtcNow() - early.AskedAt < EarlyAnswerLifetime;

    /// <summary>
    /// The shared target connection: the one connected after sign-in when there is one (or that attempt's failure), else
    /// a new one. A connection refused at sign-in but allowed by this session's own decision since is connected now.
    /// </summary>
    private async Task<TargetConnection> TargetAsync(AccessAllowed access, Task<TargetConnection>? early, CancellationToken cancellationToken)
    {
        if (early is not null)
        {
            try
            {
                return await early;
            }
            catch (TargetConnectionException e) when (e.Reason is SessionRefusalReason.AccessRefused or SessionRefusalReason.DecisionUnavailable)
            {
                // Refused at sign-in, allowed by this session's own decision since: connect now.
            }
        }

        return await ConnectAsync(access, cancellationToken);
    }

    /// <summary>The shared target connection for a channel allowed by its own decision (a port forward), connected if need be.</summary>
    public Task<TargetConnection> TargetAsync(AccessAllowed access, CancellationToken cancellationToken) => ConnectAsync(access, cancellationToken);

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
            return _target = await connector.ConnectAsync(access, cancellationToken);
        }
        finally
        {
            _targetLock.Release();
        }
    }

    private async Task<AccessDecision> AskAuthorizationAsync()
    {
        try
        {
            var client = services.Bus.CreateRequestClient<CheckAccess>(RequestTimeout.After(ms: (int)services.Settings.DecisionTimeout.TotalMilliseconds));
            var response = await client.GetResponse<AccessAllowed, AccessRefused>(
                new CheckAccess(user.User, _apiRoles, user.Target, user.Login, user.SourceAddress, user.MfaVerified, user.CorrelationId));
            if (response.Is(out Response<AccessAllowed>? allowed))
            {
                return new AccessDecision(allowed.Message, default, "");
            }

            var refused = (AccessRefused)response.Message;
            return new AccessDecision(null, SessionRefusalReason.AccessRefused,
                $"gatehouse: access to {user.Target} as {user.Login} is refused: {refused.ShownToUser ?? AccessRefused.NotCovered}",
                $"gatehouse: access to {user.Target} as {user.Login} is refused ({refused.Reason}): {refused.Detail}");
        }
        catch (RequestTimeoutException)
        {
            return new AccessDecision(null, SessionRefusalReason.DecisionUnavailable,
                "gatehouse: Authorization did not answer in time, so access is refused; try again shortly");
        }
    }

    private async Task<CommandPolicyCheck> FetchPoliciesAsync()
    {
        var client = services.Bus.CreateRequestClient<GetCommandPolicies>(RequestTimeout.After(ms: (int)services.Settings.DecisionTimeout.TotalMilliseconds));
        var response = await client.GetResponse<CommandPoliciesForSession>(new GetCommandPolicies(user.User, _apiRoles, user.Target));
        return new CommandPolicyCheck(response.Message.Policies);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _early, null) is { } early)
        {
            try
            {
                await early.Target;
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
}
