using Gatehouse.Contracts;
using Gatehouse.Contracts.Authorization;
using Gatehouse.Contracts.Sessions;
using Gatehouse.SessionBroker.Commands;
using Gatehouse.SessionBroker.Gateway;
using Gatehouse.SessionBroker.Recording;
using Gatehouse.SessionBroker.Sessions.WithdrawingAccess;
using Gatehouse.SessionBroker.Sftp;
using Gatehouse.SessionBroker.Targets;
using Gatehouse.Ssh;

namespace Gatehouse.SessionBroker.Sessions;

/// <summary>
/// One session channel of a user, relayed to a session channel on the target: pty, environment, shell, exec or the
/// sftp subsystem, window changes, signals, exit status. It holds the session's course: prepared by the connection's
/// access when it starts, recorded (<see cref="SessionRecord"/>, asciicast), relayed through the command gate
/// (<see cref="SessionRelay"/>, <see cref="CommandGate"/>), watched by its limits (<see cref="SessionLimits"/>), and ended
/// once (<see cref="SessionEnding"/>): on the user's or the target's close, a limit, a termination, or withdrawn access.
/// </summary>
public sealed class BrokeredSession(ConnectionAccess connection, SshChannel client, GatewayServices services) : ISshSessionHandler
{
    private readonly TerminalRequests _terminalRequests = new();
    private readonly SessionEnding _ending = new();
    private readonly UserTerminal _terminal = new(client);
    private readonly SessionEvents _events = SessionEvents.For(connection.User, services.Clock);
    private int _started;
    private SessionKind _kind;
    private string? _command;
    private volatile AccessAllowed? _access;
    private TargetChannel? _target;
    private AsciicastRecorder? _recorder;
    private SessionRecord? _record;
    private SessionLimits? _limits;
    private SessionRelay? _relay;
    private DateTimeOffset _startedAt;
    private int _terminating;

    public Guid SessionId { get; } = Guid.NewGuid();

    /// <summary>The relay of a running session (null before it reached the target): a live view watches its output there.</summary>
    public SessionRelay? Relay => _relay;

    /// <summary>Cancelled when the session ends, for whoever follows it from outside (a live view).</summary>
    public CancellationToken Ended => _ending.Token;

    /// <summary>What the user was told of the end (who terminated it and why), if anything; null while it runs.</summary>
    public string? EndMessage => _ending.Message;

    public ValueTask<bool> HandleRequestAsync(SshChannel channel, SshSessionRequest request, CancellationToken cancellationToken)
    {
        switch (request)
        {
            case SshPtyRequest pty when _started == 0:
                _terminalRequests.Ask(pty);
                _terminal.OnTerminal = true;
                return ValueTask.FromResult(true);
            case SshEnvRequest env when _started == 0:
                _terminalRequests.Ask(env);
                return ValueTask.FromResult(true);
            case SshShellRequest when Start(SessionKind.Shell, null):
            case SshExecRequest exec when Start(SessionKind.Exec, exec.Command):
            case SshSubsystemRequest { Name: "sftp" } when Start(SessionKind.Subsystem, "sftp"):
                _ = RunAsync();
                return ValueTask.FromResult(true);
            case SshWindowChangeRequest change:
                _terminalRequests.Resized(change.Size);
                _target?.ChangeWindow(change.Size.Columns, change.Size.Rows, change.Size.WidthPixels, change.Size.HeightPixels);
                return _recorder is { } recorder ? WithResult(recorder.ResizeAsync((int)change.Size.Columns, (int)change.Size.Rows)) : ValueTask.FromResult(true);
            case SshSignalRequest signal when _target is not null:
                _target.Signal(signal.Signal);
                return ValueTask.FromResult(true);
            case SshBreakRequest breakRequest when _target is not null:
                _target.Break(breakRequest.Milliseconds);
                return ValueTask.FromResult(true);
            default:
                return ValueTask.FromResult(false);
        }
    }

    /// <summary>What this session relies on (its user, key, target and grant); null until it started.</summary>
    public ReliedAccess? Relied => _access is { } access ? connection.Relied(access) : null;

    /// <summary>
    /// Ends the session on request; the user is told who ended it and why. It ends even when the record cannot be
    /// written: a session whose access was withdrawn must not outlive a database outage.
    /// </summary>
    public async Task TerminateAsync(string requestedBy, string reason, CancellationToken cancellationToken)
    {
        if (_access is not { } access || _ending.HasEnded || Interlocked.Exchange(ref _terminating, 1) != 0)
        {
            return;
        }

        try
        {
            await services.Journal.AppendAsync(SessionId, _events.Terminated(SessionId, access, requestedBy, reason), cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            services.Logger.LogError(e, "The termination of session {SessionId} ({Reason}) could not be recorded; ending it anyway", SessionId, reason);
        }
        finally
        {
            _ending.End(SessionEndReason.Terminated, $"gatehouse: this session was terminated by {requestedBy}: {reason}");
        }
    }

    /// <summary>
    /// Asks Authorization again after a change that may have removed this session's access (roles, role membership); ends
    /// the session when refused or when no answer comes, and otherwise goes on under the grant that allows it now.
    /// </summary>
    public async Task RecheckAsync(string why, CancellationToken cancellationToken)
    {
        if (_access is null || _ending.HasEnded)
        {
            return;
        }

        AccessDecision? decision = null;
        try
        {
            decision = await connection.DecideAsync();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            services.Logger.LogError(e, "Session {SessionId}: access could not be checked again after {Why}", SessionId, why);
        }

        if (decision?.Allowed is { } allowed)
        {
            GoOnUnder(allowed);
            return;
        }

        var reason = decision is null || decision.Reason == SessionRefusalReason.DecisionUnavailable
            ? $"{why}, and access could not be checked again"
            : $"{why}: {decision.Message.Replace("gatehouse: ", "")}";
        await TerminateAsync(LiveSessions.Gatehouse, reason, cancellationToken);
    }

    public LiveSession Describe() => new(SessionId, connection.User.User, _access?.Target ?? connection.User.Target, connection.User.Login,
        _kind, _command, connection.User.SourceAddress, _startedAt, _limits?.LastActivity ?? _startedAt, _limits?.Deadline?.At,
        _relay?.BytesFromClient ?? 0, _relay?.BytesToClient ?? 0);

    private static async ValueTask<bool> WithResult(ValueTask pending)
    {
        await pending;
        return true;
    }

    private bool Start(SessionKind kind, string? command)
    {
        if (Interlocked.Exchange(ref _started, 1) != 0)
        {
            return false;
        }

        (_kind, _command) = (kind, command);
        return true;
    }

    private void GoOnUnder(AccessAllowed access)
    {
        _access = access;
        _record!.Access = access;
        _limits!.Allow(access);
    }

    private async Task RunAsync()
    {
        using var clientClosed = client.Closed.Register(() => _ending.End(SessionEndReason.ClientClosed, null));
        int? exitStatus = null;
        string? exitSignal = null;
        var live = false;
        try
        {
            if (await OpenAsync() is not { } prepared)
            {
                return;
            }

            live = true;
            var exit = await RelayAsync(prepared);
            (exitStatus, exitSignal) = (exit?.ExitStatus, exit?.ExitSignal);
        }
        catch (Exception e)
        {
            services.Logger.LogError(e, "Session {SessionId} of {User} failed", SessionId, connection.User.User);
            _ending.End(SessionEndReason.Error, "gatehouse: the session failed on the gateway and was closed");
            if (!live)
            {
                // It never started, so FinishAsync will not close it: say so and close here.
                await _terminal.TellAsync("gatehouse: the session could not be opened because of an error on the gateway");
                await _terminal.ExitQuietlyAsync(1);
            }
        }
        finally
        {
            if (live)
            {
                await FinishAsync(exitStatus, exitSignal);
            }
        }
    }

    /// <summary>Prepares the session's access, records its start and starts its recording; null when it was refused (the user was told why).</summary>
    private async Task<PreparedSession?> OpenAsync()
    {
        var accessChanges = services.Live.AccessChanges;
        var (prepared, refusal) = await connection.PrepareSessionAsync(_ending.Token);
        if (prepared is null)
        {
            await RefuseAsync(refusal!);
            return null;
        }

        var access = prepared.Access;
        _startedAt = services.Clock.GetUtcNow();
        try
        {
            await services.Journal.StartAsync(SessionId, _events.Started(SessionId, access, _kind, _startedAt, connection.User.ClientSsh,
                prepared.Target.Algorithms), _ending.Token);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            services.Logger.LogError(e, "Session of {User} on {Target} refused: its start could not be recorded", connection.User.User, access.Target);
            await _terminal.TellAsync(UserTerminal.StoreUnavailable);
            await _terminal.ExitQuietlyAsync(1);
            return null;
        }

        _record = new SessionRecord(SessionId, _events, services.Journal, _terminal, _ending, () => services.Live.PolicyChanges,
            connection.PoliciesAsync, services.Logger);
        _record.StartWith(prepared.Policies, prepared.PolicyChanges);
        _limits = new SessionLimits(_startedAt, services.Settings.IdleTimeout, services.Settings.MaxSessionLength, services.Clock);
        _recorder = new AsciicastRecorder(services.Recordings.Create(SessionId, _startedAt), services.Clock,
            _terminalRequests.RecordedSize.Columns, _terminalRequests.RecordedSize.Rows,
            $"{connection.User.User} on {access.Target} as {access.Login}", _terminalRequests.Pty?.Terminal);
        _terminal.Recorder = _recorder;
        if (prepared.Target.PostureWarning is { } warning)
        {
            await _terminal.TellAsync($"gatehouse: warning: {warning}");
        }

        GoOnUnder(access);
        services.Live.Add(this);
        await CatchUpWithChangesAsync(accessChanges);
        _ = _limits.WatchAsync(access.Target, _ending);
        return prepared;
    }

    /// <summary>
    /// A change of access that reached the gateway while this session was being decided and opened found it in no list
    /// of live sessions: apply what came since the decision was asked, now that it is in the list.
    /// </summary>
    private async Task CatchUpWithChangesAsync(long accessChanges)
    {
        var relied = Relied!;
        var withdrawal = connection.Withdrawn is { } withdrawn
            ? new Withdrawal(WithdrawalAction.End, withdrawn)
            : services.Live.ChangesSince(accessChanges) is { } changes
                ? AccessWithdrawals.For(relied, changes)
                : new Withdrawal(WithdrawalAction.Recheck, "access changed while the session opened");
        await services.Live.EndOrRecheckAsync(this, withdrawal, _ending.Token);
    }

    private async Task<TargetExit?> RelayAsync(PreparedSession prepared)
    {
        if (_ending.HasEnded)
        {
            // Its access was withdrawn while it opened: nothing reaches the target.
            return null;
        }

        var record = _record!;
        var transfer = TransferReaders.For(_kind, _command) is { } reader
            ? new TransferAudit(reader, record.FileOperationsAsync, _ending, services.Logger)
            : null;
        var output = new TargetOutput();
        var readsInput = _kind == SessionKind.Shell || _kind == SessionKind.Exec && CommandPolicyCheck.ReadsCommandsFromInput(_command!);
        // A shell's input is commands, read line by line: keystrokes on a terminal, plain lines without one.
        var gate = new CommandGate(prepared.Policies, readsInput, onTerminal: _terminalRequests.Pty is not null, auditsTransfer: transfer is not null, record,
            output, services.Clock);
        if (transfer?.Unfollowable is { } unfollowable)
        {
            await gate.BlockAsync(_command!, _command!, null, CommandCapture.Exec, $"gatehouse: {unfollowable}, so it was refused");
            _ending.End(SessionEndReason.TransferUnfollowable, null);
            return new TargetExit(126, null);
        }

        if (_kind == SessionKind.Exec && !await gate.AllowExecAsync(_command!))
        {
            _ending.End(SessionEndReason.CommandBlocked, null);
            return new TargetExit(126, null);
        }

        var relay = new SessionRelay(client.AsStream(), client.WriteErrorAsync, _ending, _limits!, output, _recorder,
            services.Settings.RecordInput && transfer is null, gate, transfer);
        var target = prepared.Target.OpenChannel();
        (_target, _relay) = (target, relay);
        var started = _terminalRequests.StartOn(target, _kind, _command);
        if (!started)
        {
            _ending.End(SessionEndReason.TargetRefused, $"gatehouse: {_access!.Target} refused to start the {_kind.ToString().ToLowerInvariant()}");
            return null;
        }

        var toUser = relay.PumpFromTargetAsync(target);
        var pump = relay.PumpFromClientAsync(target);
        // The target may close with output still on its way to a slow user: the session ends once the user has it all.
        await Task.WhenAny(Task.WhenAll(toUser, target.Closed), Task.Delay(Timeout.Infinite, _ending.Token));
        _ending.End(SessionEndReason.TargetClosed, null);
        await Task.WhenAll(toUser, pump);
        return target.Closed.IsCompleted ? await target.Closed : null;
    }

    private async Task FinishAsync(int? exitStatus, string? exitSignal)
    {
        _ending.End(SessionEndReason.TargetClosed, null);
        services.Live.Remove(this);
        // Closing the target's channel waits until the target closes its side, which it does only once the command there
        // ended (SSH.NET gives up after a second): the user is told and let go meanwhile, not after.
        var targetClosed = _target is { } target ? Task.Run(target.Dispose) : Task.CompletedTask;
        var userLeft = _ending.Reason == SessionEndReason.ClientClosed;
        if (_ending.Message is { } message && !userLeft)
        {
            await _terminal.TellAsync(message);
        }

        string? sha256 = null;
        if (_recorder is not null)
        {
            sha256 = await _recorder.CompleteAsync();
            await _recorder.DisposeAsync();
        }

        try
        {
            await services.Journal.AppendAsync(SessionId, _events.Ended(SessionId, _access!, _startedAt, _relay?.BytesFromClient ?? 0,
                _relay?.BytesToClient ?? 0, exitStatus, _ending.Reason!.Value, sha256,
                _recorder is null ? null : RecordingStore.RelativePathOf(SessionId, _startedAt)), CancellationToken.None);
        }
        catch (Exception e)
        {
            services.Logger.LogError(e, "The end of session {SessionId} could not be recorded", SessionId);
        }

        if (!userLeft)
        {
            await _terminal.ExitAsync(exitStatus, exitSignal, endedByGateway: _ending.Message is not null);
        }

        await targetClosed;
    }

    /// <summary>Refuses a session that never reached the target: one line for the user, an event for the record.</summary>
    private async Task RefuseAsync(SessionRefusal refusal)
    {
        // The user may be told less than the record keeps (a refusal must not reveal which targets and logins exist).
        var recorded = refusal.Recorded ?? refusal.Message;
        if (refusal.Recordable)
        {
            services.Logger.LogInformation("Session of {User} on {Target} refused: {Reason}", connection.User.User, connection.User.Target, recorded);
            try
            {
                await services.Journal.AppendAsync(SessionId, _events.Refused(SessionId, refusal.Access?.Target ?? connection.User.Target,
                    connection.User.Login, refusal.Reason, recorded), CancellationToken.None);
            }
            catch (Exception e)
            {
                services.Logger.LogError(e, "The refusal of a session of {User} could not be recorded", connection.User.User);
            }
        }

        await _terminal.TellAsync(refusal.Message);
        await _terminal.ExitQuietlyAsync(1);
    }
}
