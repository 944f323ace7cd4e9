using Gatehouse.Contracts;
using Gatehouse.Contracts.Authorization;
using Gatehouse.SessionBroker.Commands;
using Gatehouse.SessionBroker.Sftp;

namespace Gatehouse.SessionBroker.Sessions;

/// <summary>
/// The record of one session in its event stream: what it ran, what was refused and which files it touched, each written
/// before the bytes it stands for pass on; and the command policies it runs under, fetched again when they changed.
/// </summary>
public sealed class SessionRecord(
    Guid sessionId,
    SessionEvents events,
    SessionJournal journal,
    UserTerminal terminal,
    SessionEnding ending,
    Func<long> policyChangesNow,
    Func<Task<CommandPolicyCheck>> fetchPolicies,
    ILogger logger) : ICommandRecord
{
    private readonly SemaphoreSlim _fileAudit = new(1, 1);
    private int _commandSequence;
    private int _fileSequence;
    private long _policyChanges;
    private CommandPolicyCheck _policies = new([]);

    /// <summary>The access the session runs under now (replaced when it was checked again and goes on under another grant).</summary>
    public AccessAllowed Access { get; set; } = null!;

    /// <summary>The policies the session starts with, and the change count they were fetched at.</summary>
    public void StartWith(CommandPolicyCheck policies, long policyChanges) => (_policies, _policyChanges) = (policies, policyChanges);

    /// <summary>
    /// Fetches the command policies again when they changed since this session fetched them, so a policy added while it
    /// runs applies to its next line; null (the line is not run) when they cannot be fetched.
    /// </summary>
    public async Task<CommandPolicyCheck?> PoliciesAsync()
    {
        var changes = policyChangesNow();
        if (changes == _policyChanges)
        {
            return _policies;
        }

        try
        {
            (_policies, _policyChanges) = (await fetchPolicies(), changes);
            return _policies;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "Session {SessionId}: the changed command policies could not be fetched; the line is not run", sessionId);
            await terminal.TellAsync("gatehouse: the command policies changed and could not be fetched again, so the line was not run; try again shortly");
            return null;
        }
    }

    public async Task<bool> ExecutedAsync(string commandLine, CommandCapture capture, IReadOnlyList<ShellCommand>? commands)
    {
        try
        {
            // Marked first: a recording that cannot take the marker cannot take the command's output either, so it is not run.
            var sequence = Interlocked.Increment(ref _commandSequence);
            await terminal.MarkAsync(MarkerLabel(sequence, commandLine));
            await journal.AppendAsync(sessionId, events.Executed(sessionId, sequence, Access, commandLine, capture, commands), ending.Token);
            return true;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "Command of session {SessionId} not sent: it could not be recorded", sessionId);
            await terminal.TellAsync("gatehouse: the command could not be recorded (the session store is unavailable), so it was not run");
            return false;
        }
    }

    public async Task BlockedAsync(string commandLine, string blockedCommand, SessionCommandPolicy? policy, CommandCapture capture,
        IReadOnlyList<ShellCommand>? commands, string message)
    {
        var sequence = Interlocked.Increment(ref _commandSequence);
        try
        {
            await terminal.MarkAsync(MarkerLabel(sequence, commandLine));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "Blocked command of session {SessionId} could not be marked in the recording", sessionId);
        }

        await terminal.TellAsync(message);
        try
        {
            await journal.AppendAsync(sessionId, events.Blocked(sessionId, sequence, Access, commandLine, blockedCommand, policy, capture, commands),
                ending.Token);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "Blocked command of session {SessionId} could not be recorded", sessionId);
        }
    }

    /// <summary>The recording's marker of a command: its sequence (as in its event) and the line as typed.</summary>
    public static string MarkerLabel(int sequence, string commandLine) => $"{sequence}: {commandLine}";

    /// <summary>
    /// Records file operations read from a transfer before the bytes that carry them pass on; both directions may report
    /// some, so one at a time, and the sequence follows the stream's order. False (and the session ends) when they cannot
    /// be recorded.
    /// </summary>
    public async Task<bool> FileOperationsAsync(IReadOnlyList<SftpRequest> requests)
    {
        await _fileAudit.WaitAsync(ending.Token);
        try
        {
            foreach (var request in requests)
            {
                await journal.AppendAsync(sessionId, events.FileOperation(sessionId, ++_fileSequence, Access, request.Operation, request.Path,
                    request.NewPath), ending.Token);
            }

            return true;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "File operation of session {SessionId} not passed on: it could not be recorded", sessionId);
            ending.End(SessionEndReason.StoreUnavailable,
                "gatehouse: a file operation could not be recorded (the session store is unavailable), so the session was closed");
            return false;
        }
        finally
        {
            _fileAudit.Release();
        }
    }
}
