using System.Diagnostics;
using System.Text;
using Gatehouse.Contracts;
using Gatehouse.Contracts.Authorization;
using Gatehouse.Contracts.Sessions;
using Gatehouse.ServiceDefaults.EventStore;
using Gatehouse.SessionBroker.Commands;
using Gatehouse.SessionBroker.Gateway;
using Gatehouse.SessionBroker.Recording;
using Gatehouse.SessionBroker.Sessions.WithdrawingAccess;
using Gatehouse.Shell;
using Gatehouse.SessionBroker.Sftp;
using Gatehouse.SessionBroker.Targets;
using Gatehouse.Ssh;

namespace Gatehouse.SessionBroker.Sessions;

/// <summary>
/// One session channel of a user, relayed to a session channel on the target: pty, environment, shell, exec or the
/// sftp subsystem, window changes, signals, exit status. It is recorded as asciicast while it runs, its commands are
/// checked against the command policies (fetched again when they change) before they reach the target, and it ends on
/// the user's or the target's close, on idle timeout, at its maximum length, when terminated, or when the access it relies
/// on is withdrawn.
/// </summary>
public sealed class BrokeredSession(GatewayConnection connection, SshChannel client, GatewayServices services) : ISshSessionHandler
{
    /// <summary>
    /// The exit status of a session the gateway ended (terminated, maximum length, grant expiry, idle, error), whatever
    /// the target said: like ssh's own errors, so a script never takes a cut-off session for a success.
    /// </summary>
    public const int EndedByGatewayStatus = 255;

    private const string StoreUnavailable = "gatehouse: the session cannot be recorded right now (the session store is unavailable), so it is refused";
    private const string NotEchoed = "[typed without echo: not recorded]";
    private const string NotEchoedRefused = "gatehouse: a line typed without echo was not passed on: under this session's command policies " +
                                            "only lines the gateway can read and may run reach the target";

    // How long the target has to answer typed keys: a silent prompt (a password) waits this long for its Enter, and a
    // loaded target that echoes later than this has its line recorded as typed without echo.
    private static readonly TimeSpan EchoWait = TimeSpan.FromSeconds(1);
    private static readonly string[] ForwardedEnvironment = ["LANG", "LC_", "TZ", "COLORTERM"];

    private readonly List<SshEnvRequest> _environment = [];
    private readonly CancellationTokenSource _end = new();
    private TypedLineTracker? _tracker;
    private bool _trackerRefuses;
    private ShellInputLines? _lines;
    private readonly SemaphoreSlim _fileAudit = new(1, 1);
    private SshPtyRequest? _pty;
    private SshTerminalSize? _size;
    private int _started;
    private SessionKind _kind;
    private string? _command;
    private AccessAllowed? _access;
    private TargetChannel? _target;
    private AsciicastRecorder? _recorder;
    private CommandPolicyCheck _policies = new([]);
    private long _policyChanges;
    private int _terminating;
    private ITransferReader? _transfer;
    private DateTimeOffset _startedAt;
    private SessionDeadline? _deadline;
    private long _lastActivity;
    private long _outputCount;
    private long _lineOutputMark = -1;
    private long _enterOutputMark = -1;
    private long _bytesFromClient;
    private long _bytesToClient;
    private int _commandSequence;
    private int _fileSequence;
    private string? _endReason;
    private string? _endMessage;

    public Guid SessionId { get; } = Guid.NewGuid();

    public ValueTask<bool> HandleRequestAsync(SshChannel channel, SshSessionRequest request, CancellationToken cancellationToken)
    {
        switch (request)
        {
            case SshPtyRequest pty when _started == 0:
                (_pty, _size) = (pty, pty.Size);
                return ValueTask.FromResult(true);
            case SshEnvRequest env when _started == 0:
                _environment.Add(env);
                return ValueTask.FromResult(true);
            case SshShellRequest when Start(SessionKind.Shell, null):
            case SshExecRequest exec when Start(SessionKind.Exec, exec.Command):
            case SshSubsystemRequest { Name: "sftp" } when Start(SessionKind.Subsystem, "sftp"):
                _ = RunAsync();
                return ValueTask.FromResult(true);
            case SshWindowChangeRequest change:
                _size = change.Size;
                _target?.ChangeWindow(change.Size.Columns, change.Size.Rows, change.Size.WidthPixels, change.Size.HeightPixels);
                if (_recorder is { } recorder)
                {
                    return WithResult(recorder.ResizeAsync((int)change.Size.Columns, (int)change.Size.Rows));
                }

                return ValueTask.FromResult(true);
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
        if (_access is not { } access || _endReason is not null || Interlocked.Exchange(ref _terminating, 1) != 0)
        {
            return;
        }

        try
        {
            var now = services.Clock.GetUtcNow();
            await services.Journal.AppendAsync(SessionId, new SessionTerminated(SessionId, connection.Name.User, access.Target, access.Login,
                requestedBy, reason, requestedBy, connection.SourceAddress, connection.CorrelationId, EventIds.New(now),
                now), cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            services.Logger.LogError(e, "The termination of session {SessionId} ({Reason}) could not be recorded; ending it anyway", SessionId, reason);
        }
        finally
        {
            End("terminated", $"gatehouse: this session was terminated by {requestedBy}: {reason}");
        }
    }

    /// <summary>
    /// Asks Authorization again after a change that may have removed this session's access (roles, role membership); ends
    /// the session when refused or when no answer comes, and otherwise goes on under the grant that allows it now.
    /// </summary>
    public async Task RecheckAsync(string why, CancellationToken cancellationToken)
    {
        if (_access is null || _endReason is not null)
        {
            return;
        }

        AccessDecision? decision = null;
        try
        {
            decision = await connection.DecideAccessAsync();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            services.Logger.LogError(e, "Session {SessionId}: access could not be checked again after {Why}", SessionId, why);
        }

        if (decision?.Allowed is { } allowed)
        {
            (_access, _deadline) = (allowed, SessionDeadline.For(_startedAt, services.Settings.MaxSessionLength, allowed.MaxSessionLength,
                allowed.GrantExpiresAt));
            return;
        }

        var reason = decision is null || decision.Reason == SessionRefusalReason.DecisionUnavailable
            ? $"{why}, and access could not be checked again"
            : $"{why}: {decision.Message.Replace("gatehouse: ", "")}";
        await TerminateAsync(LiveSessions.Gatehouse, reason, cancellationToken);
    }

    public LiveSession Describe() => new(SessionId, connection.Name.User, _access?.Target ?? connection.Name.Target, connection.Login,
        _kind, _command, connection.SourceAddress, _startedAt, new DateTimeOffset(Interlocked.Read(ref _lastActivity), TimeSpan.Zero),
        _deadline?.At, Interlocked.Read(ref _bytesFromClient), Interlocked.Read(ref _bytesToClient));

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

    private async Task RunAsync()
    {
        using var clientClosed = client.Closed.Register(() => End("client-closed", null));
        int? exitStatus = null;
        string? exitSignal = null;
        var live = false;
        try
        {
            if (await OpenAsync() is not { } target)
            {
                return;
            }

            live = true;
            var exit = await RelayAsync(target);
            (exitStatus, exitSignal) = (exit?.ExitStatus, exit?.ExitSignal);
        }
        catch (Exception e)
        {
            services.Logger.LogError(e, "Session {SessionId} of {User} failed", SessionId, connection.Name.User);
            End("error", "gatehouse: the session failed on the gateway and was closed");
            if (!live)
            {
                // It never started, so FinishAsync will not close it: say so and close here.
                await TellAsync("gatehouse: the session could not be opened because of an error on the gateway");
                await ExitQuietlyAsync(1);
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

    /// <summary>Authorizes, connects to the target and records the start; null when the session was refused (the user was told why).</summary>
    private async Task<TargetConnection?> OpenAsync()
    {
        var accessChanges = services.Live.AccessChanges;
        var decision = await connection.DecideAccessAsync();
        if (decision.Allowed is not { } access)
        {
            await RefuseAsync(decision.Reason, decision.Message, recorded: decision.Recorded);
            return null;
        }

        TargetConnection target;
        try
        {
            _policyChanges = services.Live.PolicyChanges;
            _policies = await connection.CommandPoliciesAsync();
        }
        catch (MassTransit.RequestTimeoutException)
        {
            await RefuseAsync(SessionRefusalReason.DecisionUnavailable,
                "gatehouse: the command policies for this target could not be fetched, so the session is refused", access);
            return null;
        }

        try
        {
            target = await connection.TargetAsync(access, _end.Token);
        }
        catch (TargetConnectionException e)
        {
            await RefuseAsync(e.Reason, $"gatehouse: {e.Message}", access);
            return null;
        }
        catch (Exception e) when (e is Npgsql.NpgsqlException or Marten.Exceptions.MartenException or TimeoutException)
        {
            // The vault lives in the same store as the session record: without it nothing could be recorded either.
            services.Logger.LogError(e, "Session of {User} on {Target} refused: the session store is unavailable", connection.Name.User, access.Target);
            await TellAsync(StoreUnavailable);
            await ExitQuietlyAsync(1);
            return null;
        }

        _startedAt = services.Clock.GetUtcNow();
        Touch();
        try
        {
            await services.Journal.StartAsync(SessionId, new SessionStarted(SessionId, connection.Name.User, access.Target,
                $"{access.TargetAddress}:{access.TargetPort}", access.Login, _kind, connection.Name.User, connection.SourceAddress,
                connection.CorrelationId, EventIds.New(_startedAt), _startedAt, connection.Algorithms, target.Algorithms), _end.Token);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            services.Logger.LogError(e, "Session of {User} on {Target} refused: its start could not be recorded", connection.Name.User, access.Target);
            await TellAsync(StoreUnavailable);
            await ExitQuietlyAsync(1);
            return null;
        }

        _access = access;
        _recorder = new AsciicastRecorder(services.Recordings.Create(SessionId, _startedAt), services.Clock,
            (int)(_size?.Columns ?? 80), (int)(_size?.Rows ?? 24), $"{connection.Name.User} on {access.Target} as {access.Login}",
            _pty?.Terminal);
        _deadline = SessionDeadline.For(_startedAt, services.Settings.MaxSessionLength, access.MaxSessionLength, access.GrantExpiresAt);
        services.Live.Add(this);
        await CatchUpWithChangesAsync(accessChanges);
        _ = WatchAsync();
        return target;
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
        await services.Live.EndOrRecheckAsync(this, withdrawal, _end.Token);
    }

    private async Task<TargetExit?> RelayAsync(TargetConnection connectionToTarget)
    {
        if (_end.IsCancellationRequested)
        {
            // Its access was withdrawn while it opened: nothing reaches the target.
            return null;
        }

        _transfer = TransferReaders.For(_kind, _command);
        if (_transfer?.Lost is { } unfollowable)
        {
            await BlockAsync(_command!, _command!, null, CommandCapture.Exec, $"gatehouse: {unfollowable}, so it was refused");
            End("transfer-unfollowable", null);
            return new TargetExit(126, null);
        }

        if (_kind == SessionKind.Shell || _kind == SessionKind.Exec && CommandPolicyCheck.ReadsCommandsFromInput(_command!))
        {
            // A shell's input is commands, read line by line: keystrokes on a terminal, plain lines without one.
            _lines = _pty is null ? new ShellInputLines(checkedWhole: _policies.HasPolicies) : null;
            _tracker = _pty is null ? null : new TypedLineTracker(refuseUnfollowed: _policies.HasPolicies);
            _trackerRefuses = _policies.HasPolicies;
        }

        if (_kind == SessionKind.Exec && !await AllowCommandAsync(_command!, _command!, CommandCapture.Exec))
        {
            End("command-blocked", null);
            return new TargetExit(126, null);
        }

        var target = connectionToTarget.OpenChannel(FromTarget, FromTarget);
        _target = target;
        if (_pty is { } pty)
        {
            target.RequestPty(pty.Terminal, _size!.Value.Columns, _size.Value.Rows, _size.Value.WidthPixels, _size.Value.HeightPixels,
                TerminalModeDecoder.Decode(pty.EncodedModes.Span));
        }

        foreach (var env in _environment.Where(e => ForwardedEnvironment.Any(prefix => e.Name.StartsWith(prefix, StringComparison.Ordinal))))
        {
            target.SetEnvironment(env.Name, env.Value);
        }

        var started = _kind switch
        {
            SessionKind.Shell => target.StartShell(),
            SessionKind.Exec => target.Execute(_command!),
            _ => target.StartSubsystem(_command!),
        };
        if (!started)
        {
            End("target-refused", $"gatehouse: {_access!.Target} refused to start the {_kind.ToString().ToLowerInvariant()}");
            return null;
        }

        var pump = PumpFromClientAsync(target);
        await Task.WhenAny(target.Closed, Task.Delay(Timeout.Infinite, _end.Token));
        End("target-closed", null);
        await pump;
        return target.Closed.IsCompleted ? await target.Closed : null;
    }

    private async Task PumpFromClientAsync(TargetChannel target)
    {
        var buffer = new byte[32 * 1024];
        try
        {
            while (true)
            {
                var read = await client.ReadAsync(buffer, _end.Token);
                if (read == 0)
                {
                    if (_lines is { } lines)
                    {
                        await ForwardLinesAsync(target, lines.End());
                    }

                    target.SendEof();
                    return;
                }

                Touch();
                Interlocked.Add(ref _bytesFromClient, read);
                var data = buffer.AsMemory(0, read);
                if (services.Settings.RecordInput && _transfer is null)
                {
                    await _recorder!.InputAsync(data);
                }

                switch (_kind)
                {
                    case var _ when _transfer is { } transfer:
                        if (!await AuditTransferAsync(transfer.FromClient(data.Span)))
                        {
                            return;
                        }

                        target.Send(data);
                        break;
                    case var _ when _lines is { } lines:
                        await ForwardLinesAsync(target, lines.Feed(data.Span));
                        break;
                    case var _ when _tracker is not null:
                        await ForwardTypedAsync(target, data);
                        break;
                    default:
                        target.Send(data);
                        break;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The session ended; FinishAsync closes both sides.
        }
        catch (Exception e) when (e is Renci.SshNet.Common.SshException or ObjectDisposedException or InvalidOperationException or IOException)
        {
            End("target-closed", null);
        }
    }

    /// <summary>
    /// Passes keystrokes through, but holds each Enter until the line it submits was checked and recorded; a refused
    /// line is emptied on the target instead of being submitted (the tracker says how). Under a policy a key the tracker cannot
    /// follow exactly never reaches the target: its line is cancelled at once.
    /// </summary>
    private async Task ForwardTypedAsync(TargetChannel target, ReadOnlyMemory<byte> data)
    {
        var steps = _tracker!.Feed(data.Span);
        foreach (var step in steps)
        {
            switch (step)
            {
                case KeysTyped keys:
                    if (_enterOutputMark >= 0)
                    {
                        // Keys typed behind an Enter wait until the target took it: bash reads ahead, and keys it read with
                        // the Enter would stay in its own buffer while the command runs, out of reach of a later refusal.
                        await EchoedSinceAsync(_enterOutputMark);
                        _enterOutputMark = -1;
                    }

                    if (_lineOutputMark < 0)
                    {
                        _lineOutputMark = Interlocked.Read(ref _outputCount);
                    }

                    target.Send(keys.Bytes);
                    break;
                case LineCancelled refused:
                    _lineOutputMark = -1;
                    await BlockAsync(refused.Text, refused.Text, null, CommandCapture.InteractiveLine, refused.Message);
                    target.Send(refused.Cancel);
                    break;
                case LineSubmitted submitted when await SubmitTypedAsync(submitted.Line):
                    _enterOutputMark = Interlocked.Read(ref _outputCount);
                    target.Send(submitted.Enter);
                    break;
                case LineSubmitted submitted:
                    target.Send(submitted.Cancel);
                    break;
            }
        }

        if (!_trackerRefuses && _policies.HasPolicies && steps is [.., LineSubmitted])
        {
            // A policy came while the session ran: from the next line on, keys the tracker cannot follow are refused, as
            // in a session opened under it. Swapped between lines, where a new tracker knows as much as the old one.
            (_tracker, _trackerRefuses) = (new TypedLineTracker(refuseUnfollowed: true), true);
        }
    }

    /// <summary>Checks and records a submitted line; true when its Enter may go to the target.</summary>
    private async Task<bool> SubmitTypedAsync(TypedLine line)
    {
        if (string.IsNullOrWhiteSpace(line.Text))
        {
            _lineOutputMark = -1;
            return true;
        }

        if (line.Uncertain)
        {
            if (!await RefreshPoliciesAsync())
            {
                _lineOutputMark = -1;
                return false;
            }

            if (_policies.HasPolicies)
            {
                // Edited with keys only the shell follows (history, completion) before a policy came: it cannot be checked.
                _lineOutputMark = -1;
                await BlockAsync(line.Text, line.Text, null, CommandCapture.InteractiveLine,
                    new LineCancelled(line.Text, "history or completion", TypedLineTracker.ClearLine).Message);
                return false;
            }
        }

        // What was typed went first; whether the target echoed it tells a command from input at a prompt that does not
        // echo (a password), which is checked like any line but kept out of the record and off the screen.
        var echoed = _lineOutputMark >= 0 && await EchoedSinceAsync(_lineOutputMark);
        _lineOutputMark = -1;
        return await AllowCommandAsync(line.Text, echoed ? line.Text : NotEchoed, CommandCapture.InteractiveLine);
    }

    /// <summary>Passes on each command read from a shell's plain input once it was checked and recorded; a refused one never reaches the target.</summary>
    private async Task ForwardLinesAsync(TargetChannel target, IReadOnlyList<ShellInputStep> steps)
    {
        foreach (var step in steps)
        {
            switch (step)
            {
                case ShellInput { Text: var text } input when string.IsNullOrWhiteSpace(text):
                    target.Send(input.Bytes);
                    break;
                case ShellInput input:
                    if (await AllowCommandAsync(input.Text, input.Text, CommandCapture.InteractiveLine))
                    {
                        target.Send(input.Bytes);
                    }

                    break;
                case ShellInputRefused refused:
                    await BlockAsync(refused.Text, refused.Text, null, CommandCapture.InteractiveLine, refused.Message);
                    break;
            }
        }
    }

    private async Task<bool> EchoedSinceAsync(long mark)
    {
        var waited = Stopwatch.StartNew();
        while (Interlocked.Read(ref _outputCount) <= mark)
        {
            if (waited.Elapsed > EchoWait)
            {
                return false;
            }

            await Task.Delay(2);
        }

        return true;
    }

    /// <summary>Checks a command against the policies and records it as executed or blocked; true when it may run.</summary>
    private async Task<bool> AllowCommandAsync(string commandLine, string recordedAs, CommandCapture capture)
    {
        if (!await RefreshPoliciesAsync())
        {
            return false;
        }

        var inputIsChecked = _tracker is not null || _lines is not null;
        // A transfer the gateway follows is audited per file operation, so only a policy that names it stops it, not the
        // refusal of programs whose input the shell reader cannot see.
        // A line typed without echo is refused like any other when the gateway cannot read it: after stty -echo the shell
        // itself reads such lines. A password the gateway cannot read as shell is refused too.
        // Read once, for the check and for the record (a line typed without echo is read only to be checked).
        var reading = _policies.HasPolicies || recordedAs != NotEchoed ? ShellReader.Read(commandLine, inputIsChecked) : null;
        if (reading is not null && _policies.Check(reading, commandLine) is { } violation && (violation.Policy is not null || _transfer is null))
        {
            if (recordedAs == NotEchoed)
            {
                await BlockAsync(NotEchoed, NotEchoed, violation.Policy, capture, NotEchoedRefused);
            }
            else
            {
                await BlockAsync(commandLine, violation.Command.Text.Trim(), violation.Policy, capture, CommandPolicyCheck.Explain(violation));
            }

            return false;
        }

        var access = _access!;
        try
        {
            var now = services.Clock.GetUtcNow();
            await services.Journal.AppendAsync(SessionId, new CommandExecuted(SessionId, Interlocked.Increment(ref _commandSequence),
                connection.Name.User, access.Target, access.Login, recordedAs, capture, connection.Name.User, connection.SourceAddress,
                connection.CorrelationId, EventIds.New(now), now,
                recordedAs == NotEchoed ? null : CommandPolicyCheck.Commands(reading!)), _end.Token);
            return true;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            services.Logger.LogError(e, "Command of session {SessionId} not sent: it could not be recorded", SessionId);
            await TellAsync("gatehouse: the command could not be recorded (the session store is unavailable), so it was not run");
            return false;
        }
    }

    /// <summary>
    /// Fetches the command policies again when they changed since this session fetched them, so a policy added while it
    /// runs applies to its next line; false (the line is not run) when they cannot be fetched.
    /// </summary>
    private async Task<bool> RefreshPoliciesAsync()
    {
        var changes = services.Live.PolicyChanges;
        if (changes == _policyChanges)
        {
            return true;
        }

        try
        {
            _policies = await connection.CommandPoliciesAsync();
            _policyChanges = changes;
            return true;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            services.Logger.LogWarning(e, "Session {SessionId}: the changed command policies could not be fetched; the line is not run", SessionId);
            await TellAsync("gatehouse: the command policies changed and could not be fetched again, so the line was not run; try again shortly");
            return false;
        }
    }

    private async Task BlockAsync(string commandLine, string blockedCommand, SessionCommandPolicy? policy, CommandCapture capture, string message)
    {
        var access = _access!;
        await TellAsync(message);
        try
        {
            var now = services.Clock.GetUtcNow();
            await services.Journal.AppendAsync(SessionId, new CommandBlocked(SessionId, Interlocked.Increment(ref _commandSequence),
                connection.Name.User, access.Target, access.Login, commandLine, blockedCommand, policy?.PolicyId ?? Guid.Empty,
                policy?.Name ?? "unverifiable-line", policy?.Action ?? CommandPolicyAction.Deny, capture, connection.Name.User,
                connection.SourceAddress, connection.CorrelationId, EventIds.New(now), now,
                commandLine == NotEchoed ? null : CommandPolicyCheck.Commands(commandLine, _tracker is not null || _lines is not null)), _end.Token);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            services.Logger.LogError(e, "Blocked command of session {SessionId} could not be recorded", SessionId);
        }
    }

    /// <summary>
    /// Records the file operations read from a transfer before the bytes that carry them are passed on; false (and the
    /// session ends) when they cannot be recorded or the transfer can no longer be followed.
    /// </summary>
    private async Task<bool> AuditTransferAsync(IReadOnlyList<SftpRequest> requests)
    {
        if (requests.Count > 0 && !await RecordFileOperationsAsync(requests))
        {
            return false;
        }

        if (_transfer!.Lost is { } lost)
        {
            services.Logger.LogWarning("Session {SessionId} of {User} closed: its file transfer cannot be followed: {Reason}", SessionId,
                connection.Name.User, lost);
            End("transfer-unreadable", $"gatehouse: the file transfer could not be followed ({lost}), so the session was closed");
            return false;
        }

        return true;
    }

    /// <summary>Both directions may report operations: one at a time, so the sequence follows the stream's order.</summary>
    private async Task<bool> RecordFileOperationsAsync(IReadOnlyList<SftpRequest> requests)
    {
        var access = _access!;
        await _fileAudit.WaitAsync(_end.Token);
        try
        {
            foreach (var request in requests)
            {
                var now = services.Clock.GetUtcNow();
                await services.Journal.AppendAsync(SessionId, new SftpFileOperation(SessionId, ++_fileSequence, connection.Name.User,
                    access.Target, access.Login, request.Operation, request.Path, request.NewPath, connection.Name.User,
                    connection.SourceAddress, connection.CorrelationId, EventIds.New(now), now), _end.Token);
            }

            return true;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            services.Logger.LogError(e, "File operation of session {SessionId} not passed on: it could not be recorded", SessionId);
            End("store-unavailable", "gatehouse: a file operation could not be recorded (the session store is unavailable), so the session was closed");
            return false;
        }
        finally
        {
            _fileAudit.Release();
        }
    }

    /// <summary>Runs on SSH.NET's receive thread; blocking here is the backpressure towards the target.</summary>
    private void FromTarget(ReadOnlyMemory<byte> data)
    {
        Touch();
        Interlocked.Increment(ref _outputCount);
        Interlocked.Add(ref _bytesToClient, data.Length);
        try
        {
            if (_transfer is not null)
            {
                if (!AuditTransferAsync(_transfer.FromTarget(data.Span)).GetAwaiter().GetResult())
                {
                    return;
                }
            }
            else
            {
                _recorder!.OutputAsync(data).AsTask().GetAwaiter().GetResult();
            }

            client.WriteAsync(data, _end.Token).AsTask().GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException or InvalidOperationException)
        {
            End("client-closed", null);
        }
    }

    private async Task WatchAsync()
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(250), services.Clock);
        try
        {
            while (await timer.WaitForNextTickAsync(_end.Token))
            {
                var now = services.Clock.GetUtcNow();
                if (_deadline is { } deadline && now >= deadline.At)
                {
                    End(deadline.EndReason, deadline.Message(_access!.Target));
                }
                else if (now - new DateTimeOffset(Interlocked.Read(ref _lastActivity), TimeSpan.Zero) >= services.Settings.IdleTimeout)
                {
                    End("idle-timeout", $"gatehouse: the session was idle for {services.Settings.IdleTimeout} and was closed");
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Ended.
        }
    }

    private void Touch() => Interlocked.Exchange(ref _lastActivity, services.Clock.GetUtcNow().UtcTicks);

    private void End(string reason, string? message)
    {
        if (Interlocked.CompareExchange(ref _endReason, reason, null) is null)
        {
            _endMessage = message;
            _end.Cancel();
        }
    }

    private async Task FinishAsync(int? exitStatus, string? exitSignal)
    {
        End("target-closed", null);
        services.Live.Remove(this);
        // Closing the target's channel waits until the target closes its side, which it does only once the command there
        // ended (SSH.NET gives up after a second): the user is told and let go meanwhile, not after.
        var targetClosed = _target is { } target ? Task.Run(target.Dispose) : Task.CompletedTask;
        if (_endMessage is not null && _endReason != "client-closed")
        {
            await TellAsync(_endMessage);
        }

        string? sha256 = null;
        if (_recorder is not null)
        {
            sha256 = await _recorder.CompleteAsync();
            await _recorder.DisposeAsync();
        }

        var access = _access!;
        try
        {
            var now = services.Clock.GetUtcNow();
            await services.Journal.AppendAsync(SessionId, new SessionEnded(SessionId, connection.Name.User, access.Target, access.Login,
                _startedAt, Interlocked.Read(ref _bytesFromClient), Interlocked.Read(ref _bytesToClient), exitStatus, _endReason!, sha256,
                connection.Name.User, connection.SourceAddress, connection.CorrelationId, EventIds.New(now), now,
                _recorder is null ? null : RecordingStore.RelativePathOf(SessionId, _startedAt)),
                CancellationToken.None);
        }
        catch (Exception e)
        {
            services.Logger.LogError(e, "The end of session {SessionId} could not be recorded", SessionId);
        }

        if (_endReason != "client-closed")
        {
            await ExitAsync(exitStatus, exitSignal);
        }

        await targetClosed;
    }

    /// <summary>Passes on how the command ended, unless the gateway ended the session (it told the user why).</summary>
    private async Task ExitAsync(int? exitStatus, string? exitSignal)
    {
        try
        {
            if (_endMessage is not null)
            {
                await client.ExitAsync(EndedByGatewayStatus);
            }
            else if (exitSignal is not null)
            {
                await client.ExitWithSignalAsync(exitSignal, false, "");
            }
            else
            {
                await client.ExitAsync(exitStatus ?? 0);
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException or InvalidOperationException)
        {
            // The user is gone already.
        }
    }

    /// <summary>Refuses a session that never reached the target: one line for the user, an event for the record.</summary>
    private async Task RefuseAsync(SessionRefusalReason reason, string message, AccessAllowed? access = null, string? recorded = null)
    {
        // The user may be told less than the record keeps (a refusal must not reveal which targets and logins exist).
        recorded ??= message;
        services.Logger.LogInformation("Session of {User} on {Target} refused: {Reason}", connection.Name.User, connection.Name.Target, recorded);
        try
        {
            var now = services.Clock.GetUtcNow();
            await services.Journal.AppendAsync(SessionId, new SessionRefused(SessionId, connection.Name.User,
                access?.Target ?? connection.Name.Target, connection.Login, reason, recorded, connection.Name.User, connection.SourceAddress,
                connection.CorrelationId, EventIds.New(now), now), CancellationToken.None);
        }
        catch (Exception e)
        {
            services.Logger.LogError(e, "The refusal of a session of {User} could not be recorded", connection.Name.User);
        }

        await TellAsync(message);
        await ExitQuietlyAsync(1);
    }

    /// <summary>Shows the user one line from the gateway on their terminal (stderr), and records it like the target's output.</summary>
    private async Task TellAsync(string message)
    {
        var line = Encoding.UTF8.GetBytes((_pty is null ? "" : "\r\n") + message + (_pty is null ? "\n" : "\r\n"));
        try
        {
            if (_recorder is { Completed: false } recorder)
            {
                await recorder.OutputAsync(line);
            }

            // On a pty the user has one stream, the terminal; without one, the gateway's word goes to stderr.
            await (_pty is null ? client.WriteErrorAsync(line) : client.WriteAsync(line));
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException or InvalidOperationException)
        {
            // The user is gone already.
        }
    }

    private async Task ExitQuietlyAsync(int status)
    {
        try
        {
            await client.ExitAsync(status);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException or InvalidOperationException)
        {
            // The user is gone already.
        }
    }
}
