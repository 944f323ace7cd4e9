using Gatehouse.Contracts;
using Gatehouse.Contracts.Authorization;
using Gatehouse.Shell;

namespace Gatehouse.SessionBroker.Commands;

/// <summary>Where the gate passes on what may reach the target's shell (the target's session channel).</summary>
public interface IShellInput
{
    void Send(ReadOnlyMemory<byte> data);
}

/// <summary>What the gate needs from its session: the command policies as they are now, and the record of its commands.</summary>
public interface ICommandRecord
{
    /// <summary>The policies that apply now (fetched again when they changed); null when they changed and could not be
    /// fetched, the user having been told that the line was not run.</summary>
    Task<CommandPolicyCheck?> PoliciesAsync();

    /// <summary>Records a command that may run; false (the user was told) when it could not be recorded, so it does not run.</summary>
    Task<bool> ExecutedAsync(string commandLine, CommandCapture capture, IReadOnlyList<ShellCommand>? commands);

    /// <summary>Tells the user <paramref name="message"/> and records the command as blocked.</summary>
    Task BlockedAsync(string commandLine, string blockedCommand, SessionCommandPolicy? policy, CommandCapture capture,
        IReadOnlyList<ShellCommand>? commands, string message);
}

/// <summary>
/// Stands between the user's input and the target's shell: follows the lines typed (keystrokes on a terminal, plain
/// lines without one), holds each Enter until its line was checked against the command policies and recorded, empties a
/// refused line on the target, and tells a command from input at a prompt that does not echo (a password) by waiting
/// for the target's echo.
/// </summary>
public sealed class CommandGate
{
    /// <summary>What the record keeps of a line the target did not echo.</summary>
    public const string NotEchoed = "[typed without echo: not recorded]";

    private const string NotEchoedRefused = "gatehouse: a line typed without echo was not passed on: under this session's command policies " +
                                            "only lines the gateway can read and may run reach the target";

    /// <summary>
    /// How long the target has to answer typed keys: a silent prompt (a password) waits this long for its Enter, and a
    /// loaded target that echoes later than this has its line recorded as typed without echo.
    /// </summary>
    public static readonly TimeSpan EchoWait = TimeSpan.FromSeconds(1);

    private readonly ICommandRecord _record;
    private readonly TargetOutput _output;
    private readonly TimeProvider _clock;
    private readonly TimeSpan _echoWait;
    private readonly bool _auditsTransfer;
    private readonly ShellInputLines? _lines;
    private TypedLineTracker? _tracker;
    private bool _trackerRefuses;
    private CommandPolicyCheck _policies;
    private long _lineOutputMark = -1;
    private long _enterOutputMark = -1;
    private long _enterLineMark = -1;
    private bool _lineUnechoed;
    private long _silentMark = -1;

    /// <param name="readsInput">Whether the session's input is commands (a shell, or an exec of a shell reading its input).</param>
    /// <param name="onTerminal">Whether the input is keystrokes on a pty rather than plain lines.</param>
    /// <param name="auditsTransfer">The session is a file transfer audited per operation: only a policy that names its
    /// command stops it, not the refusal of programs whose input the shell reader cannot see.</param>
    public CommandGate(CommandPolicyCheck policies, bool readsInput, bool onTerminal, bool auditsTransfer, ICommandRecord record,
        TargetOutput output, TimeProvider clock, TimeSpan? echoWait = null)
    {
        (_policies, _record, _output, _clock, _echoWait, _auditsTransfer) = (policies, record, output, clock, echoWait ?? EchoWait, auditsTransfer);
        if (readsInput)
        {
            _lines = onTerminal ? null : new ShellInputLines(checkedWhole: policies.HasPolicies);
            _tracker = onTerminal ? new TypedLineTracker(refuseUnfollowed: policies.HasPolicies) : null;
            _trackerRefuses = policies.HasPolicies;
        }
    }

    /// <summary>Whether the gate reads the input as commands; otherwise it passes on as it is.</summary>
    public bool FollowsInput => _tracker is not null || _lines is not null;

    /// <summary>Checks and records an exec command; true when it may run.</summary>
    public Task<bool> AllowExecAsync(string command) => AllowAsync(command, command, CommandCapture.Exec);

    /// <summary>Passes on what the user sent, as far as it may go.</summary>
    public Task FeedAsync(IShellInput target, ReadOnlyMemory<byte> data)
    {
        if (_lines is { } lines)
        {
            return ForwardLinesAsync(target, lines.Feed(data.Span));
        }

        if (_tracker is not null)
        {
            return ForwardTypedAsync(target, data);
        }

        target.Send(data);
        return Task.CompletedTask;
    }

    /// <summary>The user's input ended: a last line without its newline is checked like the others.</summary>
    public Task EndOfInputAsync(IShellInput target) =>
        _lines is { } lines ? ForwardLinesAsync(target, lines.End()) : Task.CompletedTask;

    /// <summary>Tells the user and records a command refused before it reached the target.</summary>
    public Task BlockAsync(string commandLine, string blockedCommand, SessionCommandPolicy? policy, CommandCapture capture, string message) =>
        _record.BlockedAsync(commandLine, blockedCommand, policy, capture,
            commandLine == NotEchoed ? null : CommandPolicyCheck.Commands(commandLine, FollowsInput), message);

    /// <summary>
    /// Passes keystrokes through, but holds each Enter until the line it submits was checked and recorded; a refused
    /// line is emptied on the target instead of being submitted (the tracker says how). Under a policy a key the tracker cannot
    /// follow exactly never reaches the target: its line is cancelled at once.
    /// </summary>
    private async Task ForwardTypedAsync(IShellInput target, ReadOnlyMemory<byte> data)
    {
        var steps = _tracker!.Feed(data.Span);
        foreach (var step in steps)
        {
            switch (step)
            {
                case KeysTyped keys:
                    // After a line emptied on a shell that echoes nothing (echo off), nothing will answer the emptying, and
                    // the shell reads these keys after it, in order, in the same read of a line: they go on at once.
                    var waits = !ShellSilent || HoldsInterrupt(keys.Bytes);
                    if (waits && _enterLineMark >= 0 && _output.Prompts > 0)
                    {
                        // A shell that announces each new line (bash): keys typed behind an Enter wait until it took that
                        // Enter and reads the next line. Its first answer is written as it leaves the line, before the
                        // command runs, and a prompt drawn late may follow the Enter before the shell took it: keys sent
                        // on either reach the terminal between two readline calls, where a refusal's emptying misses them.
                        await _output.NewLineSinceAsync(_enterLineMark, _echoWait, _clock);
                    }
                    else if (waits && _enterOutputMark >= 0)
                    {
                        // Keys typed behind an Enter wait until the target took it: bash reads ahead, and keys it read with
                        // the Enter would stay in its own buffer while the command runs, out of reach of a later refusal.
                        await _output.SinceAsync(_enterOutputMark, _echoWait, _clock);
                    }

                    (_enterOutputMark, _enterLineMark) = (-1, -1);

                    if (_lineOutputMark < 0)
                    {
                        _lineOutputMark = _output.Count;
                    }

                    target.Send(keys.Bytes);
                    break;
                case LineCancelled refused:
                    _lineOutputMark = -1;
                    await BlockAsync(refused.Text, refused.Text, null, CommandCapture.InteractiveLine, refused.Message);
                    // Keys typed next wait, as behind an Enter, until the target answered the emptying of the line.
                    _enterOutputMark = _output.Count;
                    _silentMark = ShellSilent ? _output.Count : -1;
                    target.Send(refused.Cancel);
                    break;
                case LineSubmitted submitted when await SubmitTypedAsync(submitted.Line):
                    (_enterOutputMark, _enterLineMark, _silentMark) = (_output.Count, _output.LinesTaken, -1);
                    target.Send(submitted.Enter);
                    break;
                case LineSubmitted submitted:
                    _enterOutputMark = _output.Count;
                    _silentMark = _lineUnechoed ? _output.Count : -1;
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

    /// <summary>
    /// A refused line the target did not echo was emptied, and since then the target wrote nothing and no Enter reached
    /// it: the shell still reads the same line with its echo off (readline takes the terminal's echo setting when it
    /// starts reading a line), so it answers neither the emptying nor the keys typed next. Waiting for that answer would
    /// only wait out the clock; any output ends this (a program or a new prompt spoke).
    /// </summary>
    private bool ShellSilent => _silentMark >= 0 && _output.Count == _silentMark;

    /// <summary>
    /// Whether <paramref name="keys"/> hold a key the terminal turns into a signal (Ctrl-C, Ctrl-\, Ctrl-Z): it discards
    /// the input the shell has not read yet, an unread emptying too, so such keys still wait for the target's answer.
    /// </summary>
    private static bool HoldsInterrupt(byte[] keys) => keys.AsSpan().IndexOfAny((byte)0x03, (byte)0x1c, (byte)0x1a) >= 0;

    /// <summary>Checks and records a submitted line; true when its Enter may go to the target.</summary>
    private async Task<bool> SubmitTypedAsync(TypedLine line)
    {
        _lineUnechoed = false;
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
        // A shell known to be silent since the last refusal does not echo this line either: no wait for an echo.
        var echoed = _lineOutputMark >= 0 && !ShellSilent && await _output.SinceAsync(_lineOutputMark, _echoWait, _clock);
        _lineOutputMark = -1;
        _lineUnechoed = !echoed;
        return await AllowAsync(line.Text, echoed ? line.Text : NotEchoed, CommandCapture.InteractiveLine);
    }

    /// <summary>Passes on each command read from a shell's plain input once it was checked and recorded; a refused one never reaches the target.</summary>
    private async Task ForwardLinesAsync(IShellInput target, IReadOnlyList<ShellInputStep> steps)
    {
        foreach (var step in steps)
        {
            switch (step)
            {
                case ShellInput { Text: var text } input when string.IsNullOrWhiteSpace(text):
                    target.Send(input.Bytes);
                    break;
                case ShellInput input:
                    if (await AllowAsync(input.Text, input.Text, CommandCapture.InteractiveLine))
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

    /// <summary>Checks a command against the policies and records it as executed or blocked; true when it may run.</summary>
    private async Task<bool> AllowAsync(string commandLine, string recordedAs, CommandCapture capture)
    {
        if (!await RefreshPoliciesAsync())
        {
            return false;
        }

        // A line typed without echo is refused like any other when the gateway cannot read it: after stty -echo the shell
        // itself reads such lines. A password the gateway cannot read as shell is refused too.
        // Read once, for the check and for the record (a line typed without echo is read only to be checked).
        var reading = _policies.HasPolicies || recordedAs != NotEchoed ? ShellReader.Read(commandLine, FollowsInput) : null;
        if (reading is not null && _policies.Check(reading, commandLine) is { } violation && (violation.Policy is not null || !_auditsTransfer))
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

        return await _record.ExecutedAsync(recordedAs, capture, recordedAs == NotEchoed ? null : CommandPolicyCheck.Commands(reading!));
    }

    private async Task<bool> RefreshPoliciesAsync()
    {
        if (await _record.PoliciesAsync() is not { } policies)
        {
            return false;
        }

        _policies = policies;
        return true;
    }
}
