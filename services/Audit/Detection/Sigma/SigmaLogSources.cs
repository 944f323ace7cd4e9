using System.Collections.Frozen;
using Gatehouse.Contracts;

namespace Gatehouse.Audit.Detection.Sigma;

/// <summary>
/// What a Sigma rule sees of one access event. A command line is seen once per simple command the gateway read in it
/// (<see cref="Command"/>), so a selection on <c>Program</c> and <c>Arguments</c> matches one simple command, never
/// the program of one with the arguments of another.
/// </summary>
public readonly record struct SigmaRecord(IAccessEvent Event, ShellCommand? Command, string? CommandText)
{
    /// <summary>The record of one simple command, its one-line form written once for every rule that reads it.</summary>
    public static SigmaRecord Of(IAccessEvent accessEvent, ShellCommand? command) =>
        new(accessEvent, command, command is null ? null : string.Join(' ', command.Arguments.Prepend(command.Program).Select(Quoted)));

    private static string Quoted(string word) =>
        word.Length > 0 && !word.Any(char.IsWhiteSpace) ? word : $"'{word.Replace("'", @"'\''", StringComparison.Ordinal)}'";
}

/// <summary>
/// One field a rule may name: where its value comes from (<see cref="One"/>), or its values for a field with several
/// (<see cref="Many"/>). Null or empty is a field the event lacks.
/// </summary>
public sealed record SigmaField(string Name, string Meaning, Func<SigmaRecord, string?>? One, Func<SigmaRecord, IReadOnlyList<string>>? Many = null);

/// <summary>
/// A <c>logsource: {product: gatehouse, category: ...}</c>: the event types it covers, the fields rules may use on them,
/// and what an alert on it is about. <see cref="Subject"/> is the part of the deduplication key after the rule, so a
/// rule matching the same thing again (the same command in a session, the same user failing from the same source)
/// is suppressed like a built-in rule.
/// </summary>
public sealed record SigmaLogSource(
    string Category,
    IReadOnlyList<Type> EventTypes,
    FrozenDictionary<string, SigmaField> Fields,
    Func<IAccessEvent, string> Subject,
    Func<IAccessEvent, (string? User, string? Target, string Summary)> About);

/// <summary>The Gatehouse log sources and their field mapping, as the README documents them.</summary>
public static class SigmaLogSources
{
    public const string Product = "gatehouse";

    private static SigmaField Field(string name, string meaning, Func<SigmaRecord, string?> value) => new(name, meaning, value);

    private static readonly SigmaField[] Common =
    [
        Field("EventType", "the Gatehouse event type (LoginFailed, CommandExecuted, ...)", r => r.Event.GetType().Name),
        Field("Actor", "who did it: a user name, or a service for system actions", r => r.Event.Actor),
        Field("SourceIp", "the address the action came from", r => r.Event.SourceAddress),
    ];

    private static FrozenDictionary<string, SigmaField> Fields(params SigmaField[] own) =>
        Common.Concat(own).ToFrozenDictionary(f => f.Name, StringComparer.Ordinal);

    public static readonly IReadOnlyList<SigmaLogSource> All =
    [
        new("authentication", [typeof(LoginSucceeded), typeof(LoginFailed), typeof(MfaFailed)],
            Fields(
                Field("User", "the user name as presented (it may not exist)", r => r.Event switch
                {
                    LoginSucceeded e => e.UserName, LoginFailed e => e.UserName, MfaFailed e => e.UserName, _ => null,
                }),
                Field("Method", "publickey, certificate, password or keyboard-interactive (a success lists every method used, comma-separated)", r => r.Event switch
                {
                    LoginSucceeded e => e.Methods, LoginFailed e => e.Method, MfaFailed => "keyboard-interactive", _ => null,
                }),
                Field("Outcome", "success or failure", r => r.Event is LoginSucceeded ? "success" : "failure"),
                Field("Reason", "why it failed (WrongPassword, UnknownUser, WrongMfaCode, ...)", r => r.Event switch
                {
                    LoginFailed e => e.Reason.ToString(), MfaFailed e => e.Reason.ToString(), _ => null,
                }),
                Field("KeyFingerprint", "SHA256 fingerprint of the public key presented", r => r.Event switch
                {
                    LoginSucceeded e => e.KeyFingerprint, LoginFailed e => e.KeyFingerprint, _ => null,
                })),
            e => $"{UserOf(e)}:{e.SourceAddress}",
            e => (UserOf(e), null, $"{UserOf(e)} from {e.SourceAddress ?? "an unknown address"}")),

        new("access_decision", [typeof(AccessGranted), typeof(AccessDenied), typeof(SessionRefused)],
            Fields(
                Field("User", "the user asking", r => r.Event switch
                {
                    AccessGranted e => e.UserName, AccessDenied e => e.UserName, SessionRefused e => e.UserName, _ => null,
                }),
                Field("Target", "the target asked for", r => TargetOf(r.Event)),
                Field("Login", "the login asked for on the target", r => r.Event switch
                {
                    AccessGranted e => e.Login, AccessDenied e => e.Login, SessionRefused e => e.Login, _ => null,
                }),
                Field("Outcome", "allowed (Authorization allowed it), denied (Authorization refused it) or refused (the gateway could not open it)",
                    r => r.Event switch { AccessGranted => "allowed", AccessDenied => "denied", _ => "refused" }),
                Field("Reason", "why it was denied or refused (NoMatchingGrant, OutsideTimeWindow, TargetUnreachable, ...)", r => r.Event switch
                {
                    AccessDenied e => e.Reason.ToString(), SessionRefused e => e.Reason.ToString(), _ => null,
                }),
                Field("Detail", "the explanation the user was shown", r => r.Event switch
                {
                    AccessDenied e => e.Detail, SessionRefused e => e.Detail, _ => null,
                })),
            e => $"{UserOf(e)}:{TargetOf(e)}",
            e => (UserOf(e), TargetOf(e), $"{UserOf(e)} to {TargetOf(e)}")),

        new("ssh_command", [typeof(CommandExecuted), typeof(CommandBlocked)],
            Fields(
                Field("User", "the Gatehouse user", r => UserOf(r.Event)),
                Field("Target", "the target the command went to", r => TargetOf(r.Event)),
                Field("Login", "the login on the target", r => r.Event switch { CommandExecuted e => e.Login, CommandBlocked e => e.Login, _ => null }),
                Field("CommandLine", "the line or exec command as typed", r => LineOf(r.Event)),
                Field("Program", "the program's file name (/bin/rm is rm) after wrappers such as sudo, env, nice, busybox, for each simple command the line starts",
                    r => r.Command?.Program),
                new("Arguments", "each argument of that simple command, after quote removal and brace expansion (a value matches when one argument does)",
                    null, r => r.Command?.Arguments ?? []),
                Field("Command", "that simple command written as one line: program arg arg (an argument with blanks in single quotes)",
                    r => r.CommandText),
                Field("Outcome", "executed, or blocked by a command policy", r => r.Event is CommandBlocked ? "blocked" : "executed"),
                Field("Policy", "the command policy that blocked it", r => (r.Event as CommandBlocked)?.PolicyName),
                Field("Capture", "how the line was captured (InteractiveLine, Exec, ...)", r => r.Event switch
                {
                    CommandExecuted e => e.Capture.ToString(), CommandBlocked e => e.Capture.ToString(), _ => null,
                })),
            e => e switch
            {
                CommandExecuted c => $"{c.SessionId}:{c.CommandLine}",
                CommandBlocked c => $"{c.SessionId}:{c.CommandLine}",
                _ => e.EventId.ToString(),
            },
            e => (UserOf(e), TargetOf(e), $"{UserOf(e)} on {TargetOf(e)}{(e is CommandBlocked ? ", blocked" : "")}: {LineOf(e)}")),

        new("file_transfer", [typeof(SftpFileOperation)],
            Fields(
                Field("User", "the Gatehouse user", r => UserOf(r.Event)),
                Field("Target", "the target", r => TargetOf(r.Event)),
                Field("Login", "the login on the target", r => (r.Event as SftpFileOperation)?.Login),
                Field("Operation", "OpenForRead, OpenForWrite, Remove, Rename, SetAttributes, CreateSymbolicLink, ... (sftp and scp)",
                    r => (r.Event as SftpFileOperation)?.Operation.ToString()),
                Field("Path", "the path operated on", r => (r.Event as SftpFileOperation)?.Path),
                Field("NewPath", "the second path of a rename, link or copy", r => (r.Event as SftpFileOperation)?.NewPath)),
            e => e is SftpFileOperation f ? $"{f.SessionId}:{f.Operation}:{f.Path}" : e.EventId.ToString(),
            e => (UserOf(e), TargetOf(e), e is SftpFileOperation f ? $"{f.UserName} on {f.Target}: {f.Operation} {f.Path}" : e.EventId.ToString())),

        new("session", [typeof(SessionStarted), typeof(SessionEnded)],
            Fields(
                Field("User", "the Gatehouse user", r => UserOf(r.Event)),
                Field("Target", "the target", r => TargetOf(r.Event)),
                Field("Login", "the login on the target", r => r.Event switch { SessionStarted e => e.Login, SessionEnded e => e.Login, _ => null }),
                Field("Activity", "started or ended", r => r.Event is SessionStarted ? "started" : "ended"),
                Field("Kind", "Shell, Exec, Sftp, ... (started sessions)", r => (r.Event as SessionStarted)?.Kind.ToString()),
                Field("TargetAddress", "host and port the gateway connected to (started sessions)", r => (r.Event as SessionStarted)?.TargetAddress),
                Field("EndReason", "client-closed, idle-timeout, max-length, terminated, ... (ended sessions)", r => (r.Event as SessionEnded)?.EndReason.Spelling())),
            e => e.EventId.ToString(),
            e => (UserOf(e), TargetOf(e), $"{UserOf(e)} on {TargetOf(e)}")),
    ];

    private static readonly FrozenDictionary<string, SigmaLogSource> ByCategory = All.ToFrozenDictionary(s => s.Category, StringComparer.Ordinal);

    public static SigmaLogSource? Find(string category) => ByCategory.GetValueOrDefault(category);

    private static string? UserOf(IAccessEvent e) => e switch
    {
        LoginSucceeded x => x.UserName, LoginFailed x => x.UserName, MfaFailed x => x.UserName,
        AccessGranted x => x.UserName, AccessDenied x => x.UserName, SessionRefused x => x.UserName,
        CommandExecuted x => x.UserName, CommandBlocked x => x.UserName, SftpFileOperation x => x.UserName,
        SessionStarted x => x.UserName, SessionEnded x => x.UserName,
        _ => null,
    };

    private static string? TargetOf(IAccessEvent e) => e switch
    {
        AccessGranted x => x.Target, AccessDenied x => x.Target, SessionRefused x => x.Target,
        CommandExecuted x => x.Target, CommandBlocked x => x.Target, SftpFileOperation x => x.Target,
        SessionStarted x => x.Target, SessionEnded x => x.Target,
        _ => null,
    };

    private static string? LineOf(IAccessEvent e) => e switch { CommandExecuted x => x.CommandLine, CommandBlocked x => x.CommandLine, _ => null };
}
