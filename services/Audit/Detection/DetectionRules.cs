using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Text.RegularExpressions;
using Gatehouse.Contracts;
using Gatehouse.Contracts.Alerts;

namespace Gatehouse.Audit.Detection;

/// <summary>A rule's finding, before it becomes an alert stream.</summary>
public sealed record AlertCandidate(
    string Rule,
    AlertSeverity Severity,
    string Title,
    string DeduplicationKey,
    string? UserName,
    string? Target,
    string? SourceAddress,
    IReadOnlyList<Guid> TriggeringEventIds,
    DateTimeOffset DetectedAt);

/// <summary>
/// The alert rules as one pure function: (state, stored event, settings) → (state, alerts). Time is the event's own
/// time, so replaying the same events gives the same alerts. A rule that fires on a deduplication key raised within
/// its suppression window is remembered but not raised again.
/// </summary>
public static class DetectionRules
{
    public const string BruteForce = "brute-force";
    public const string PasswordSpraying = "password-spraying";
    public const string MfaFailures = "mfa-failures";
    public const string NewSource = "new-source";
    public const string OutsideBusinessHours = "outside-business-hours";
    public const string DenialBurst = "denial-burst";
    public const string PrivilegeEscalation = "privilege-escalation";
    public const string DestructiveCommand = "destructive-command";
    public const string TargetFanOut = "target-fan-out";
    public const string DormantAccount = "dormant-account";
    public const string SelfApproval = "self-approval";
    public const string HostKeyChanged = "host-key-changed";

    private static readonly ConcurrentDictionary<string, Regex> Patterns = new();

    public static (DetectionState State, IReadOnlyList<AlertCandidate> Alerts) Evaluate(DetectionState state, long sequence,
        IAccessEvent accessEvent, DetectionSettings settings)
    {
        if (sequence <= state.LastSequence)
        {
            return (state, []);
        }

        var alerts = new List<AlertCandidate>();
        state = accessEvent switch
        {
            LoginFailed failed => OnLoginFailed(state, failed, settings, alerts),
            MfaFailed mfa => Count(state, settings.MfaFailures, MfaFailures, mfa.UserName, mfa, mfa.EventId.ToString(), alerts,
                n => $"{n} MFA failures for {mfa.UserName}", user: mfa.UserName),
            LoginSucceeded login => OnLoginSucceeded(state, login, settings, alerts),
            SessionStarted session => OnSessionStarted(state, session, settings, alerts),
            AccessDenied denied => Count(state, settings.DenialBurst, DenialBurst, denied.UserName, denied, denied.EventId.ToString(), alerts,
                n => $"{n} access denials for {denied.UserName}", user: denied.UserName, target: denied.Target),
            CommandExecuted command => OnCommand(state, command, settings, alerts),
            AccessRequestApproved approved when approved.Actor == approved.UserName =>
                Raise(state, settings.SelfApproval, SelfApproval, $"request:{approved.RequestId}", approved, alerts,
                    $"{approved.UserName} approved their own access request to {approved.Target}", approved.UserName, approved.Target),
            GrantIssued { SubjectKind: GrantSubjectKind.User } grant when grant.Subject == grant.Actor =>
                Raise(state, settings.SelfApproval, SelfApproval, $"grant:{grant.GrantId}", grant, alerts,
                    $"{grant.Actor} issued a grant to themselves", grant.Actor, null),
            TargetHostKeyPinned { PreviousFingerprint: not null } pinned when pinned.PreviousFingerprint != pinned.Fingerprint =>
                Raise(state, settings.HostKeyChanged, HostKeyChanged, $"{pinned.Name}:{pinned.Fingerprint}", pinned, alerts,
                    $"Host key of {pinned.Name} changed from {pinned.PreviousFingerprint} to {pinned.Fingerprint}", null, pinned.Name),
            TargetHostKeyMismatched mismatch =>
                Raise(state, settings.HostKeyChanged, HostKeyChanged, $"{mismatch.Target}:{mismatch.OfferedFingerprint}", mismatch, alerts,
                    $"{mismatch.Target} offered host key {mismatch.OfferedFingerprint} instead of the pinned {mismatch.PinnedFingerprint}", null, mismatch.Target),
            _ => state,
        };
        return (state with { LastSequence = sequence }, alerts);
    }

    private static DetectionState OnLoginFailed(DetectionState state, LoginFailed failed, DetectionSettings settings, List<AlertCandidate> alerts)
    {
        if (failed.Reason is LoginFailureReason.WrongMfaCode or LoginFailureReason.MfaCodeReused)
        {
            return Count(state, settings.MfaFailures, MfaFailures, failed.UserName, failed, failed.EventId.ToString(), alerts,
                n => $"{n} MFA failures for {failed.UserName}", user: failed.UserName);
        }

        if (failed.Reason is LoginFailureReason.ServiceUnavailable or LoginFailureReason.AccountLocked)
        {
            return state;
        }

        state = Count(state, settings.BruteForce, BruteForce, failed.UserName, failed, failed.EventId.ToString(), alerts,
            n => $"{n} failed logins for {failed.UserName}", user: failed.UserName);
        return failed.SourceAddress is { } source
            ? Count(state, settings.PasswordSpraying, PasswordSpraying, source, failed, failed.UserName, alerts,
                n => $"Failed logins for {n} different users from {source}", source: source)
            : state;
    }

    private static DetectionState OnLoginSucceeded(DetectionState state, LoginSucceeded login, DetectionSettings settings, List<AlertCandidate> alerts)
    {
        var known = state.Users.GetValueOrDefault(login.UserName);
        if (known?.LastLogin is { } last && login.OccurredAt - last >= settings.DormantAccount.Window)
        {
            state = Raise(state, settings.DormantAccount, DormantAccount, $"{login.UserName}:{last:O}", login, alerts,
                $"{login.UserName} logged in after {(int)(login.OccurredAt - last).TotalDays} days without a login", login.UserName, null);
        }

        if (known is not null && login.SourceAddress is { } source && !known.KnownSources.Contains(source))
        {
            state = Raise(state, settings.NewSource, NewSource, $"{login.UserName}:{source}", login, alerts,
                $"{login.UserName} logged in from {source}, never seen for them before", login.UserName, null);
        }

        state = CheckBusinessHours(state, login, login.UserName, null, settings, alerts);
        var sources = known?.KnownSources ?? ImmutableHashSet<string>.Empty;
        var updated = new UserActivity(login.SourceAddress is null ? sources : sources.Add(login.SourceAddress),
            known?.LastLogin is { } previous && previous > login.OccurredAt ? previous : login.OccurredAt);
        return state with { Users = state.Users.SetItem(login.UserName, updated) };
    }

    private static DetectionState OnSessionStarted(DetectionState state, SessionStarted session, DetectionSettings settings, List<AlertCandidate> alerts)
    {
        state = CheckBusinessHours(state, session, session.UserName, session.Target, settings, alerts);
        return Count(state, settings.TargetFanOut, TargetFanOut, session.UserName, session, session.Target, alerts,
            n => $"{session.UserName} opened sessions on {n} different targets", user: session.UserName, target: session.Target);
    }

    private static DetectionState OnCommand(DetectionState state, CommandExecuted command, DetectionSettings settings, List<AlertCandidate> alerts)
    {
        if (Match(settings.PrivilegeEscalation, command) is { } escalation)
        {
            state = Raise(state, settings.PrivilegeEscalation, PrivilegeEscalation, $"{command.SessionId}:{command.CommandLine}", command, alerts,
                $"{command.UserName} escalated privileges on {command.Target}: {Shown(command, escalation)}", command.UserName, command.Target);
        }

        if (Match(settings.DestructiveCommand, command) is { } destructive)
        {
            state = Raise(state, settings.DestructiveCommand, DestructiveCommand, $"{command.SessionId}:{command.CommandLine}", command, alerts,
                $"{command.UserName} ran a destructive or anti-forensic command on {command.Target}: {Shown(command, destructive)}",
                command.UserName, command.Target);
        }

        return state;
    }

    /// <summary>
    /// The text a rule's pattern matched: the line as typed, or one of the simple commands the gateway read in it
    /// (<c>r''m -fr /</c>, <c>{rm,-rf,/}</c> or <c>env rm -fr /</c> run <c>rm -fr /</c>), so a rule written for the plain
    /// spelling also catches the others. Null when none matched.
    /// </summary>
    private static string? Match(PatternRuleSettings rule, CommandExecuted command)
    {
        if (!rule.Enabled)
        {
            return null;
        }

        return Texts(command).FirstOrDefault(text => rule.Patterns.Any(pattern => Matches(pattern, text)));
    }

    private static IEnumerable<string> Texts(CommandExecuted command) =>
        (command.Commands ?? []).Select(Normalized).Prepend(command.CommandLine);

    /// <summary>A simple command as one line of words; a word holding blanks is quoted so it still reads as one word.</summary>
    private static string Normalized(ShellCommand command) =>
        string.Join(' ', command.Arguments.Prepend(command.Program)
            .Select(word => word.Length > 0 && !word.Any(char.IsWhiteSpace) ? word : $"'{word.Replace("'", @"'\''", StringComparison.Ordinal)}'"));

    private static string Shown(CommandExecuted command, string matched) =>
        matched == command.CommandLine ? matched : $"{command.CommandLine} (runs {matched})";

    private static bool Matches(string pattern, string commandLine)
    {
        var regex = Patterns.GetOrAdd(pattern, p => new Regex(p, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1)));
        try
        {
            return regex.IsMatch(commandLine);
        }
        catch (RegexMatchTimeoutException)
        {
            // A command line crafted to make a pattern backtrack must not slip past the rule: treat it as a match.
            return true;
        }
    }

    private static DetectionState CheckBusinessHours(DetectionState state, IAccessEvent accessEvent, string user, string? target,
        DetectionSettings settings, List<AlertCandidate> alerts)
    {
        var hours = settings.BusinessHours;
        var local = TimeZoneInfo.ConvertTime(accessEvent.OccurredAt, TimeZoneInfo.FindSystemTimeZoneById(hours.TimeZone));
        var time = TimeOnly.FromDateTime(local.DateTime);
        if (hours.Days.Contains(local.DayOfWeek) && time >= hours.Start && time < hours.End)
        {
            return state;
        }

        return Raise(state, settings.OutsideBusinessHours, OutsideBusinessHours, $"{user}:{local:yyyy-MM-dd}", accessEvent, alerts,
            $"{user} accessed {(target is null ? "Gatehouse" : target)} outside business hours ({local:ddd HH:mm} {hours.TimeZone})", user, target);
    }

    /// <summary>
    /// Adds the event to the rule's window for <paramref name="subject"/> and fires when the number of distinct
    /// <paramref name="counted"/> values within the window reaches the threshold.
    /// </summary>
    private static DetectionState Count(DetectionState state, RuleSettings rule, string name, string subject, IAccessEvent accessEvent,
        string counted, List<AlertCandidate> alerts, Func<int, string> title, string? user = null, string? target = null, string? source = null)
    {
        if (!rule.Enabled)
        {
            return state;
        }

        var key = $"{name}:{subject}";
        var hits = state.Windows.GetValueOrDefault(key, ImmutableList<WindowHit>.Empty)
            .Add(new WindowHit(accessEvent.OccurredAt, accessEvent.EventId, counted));
        // The window ends at the newest event seen, not at this one: the store's order is not always the order events
        // happened in, and an event older than the window must not complete a burst with newer ones.
        var since = hits.Max(h => h.At) - rule.Window;
        hits = hits.RemoveAll(h => h.At <= since);
        var distinct = hits.Select(h => h.Value).Distinct().Count();
        state = state with { Windows = state.Windows.SetItem(key, hits) };
        if (distinct < rule.Threshold)
        {
            return state;
        }

        var candidate = new AlertCandidate(name, rule.Severity, title(distinct), key, user, target, source ?? accessEvent.SourceAddress,
            hits.Select(h => h.EventId).ToList(), accessEvent.OccurredAt);
        return Suppressed(state, rule, candidate) ? state : Raised(state, candidate, alerts) with
        {
            // A fired window starts again, so the next alert needs a full threshold of new events.
            Windows = state.Windows.Remove(key),
        };
    }

    private static DetectionState Raise(DetectionState state, RuleSettings rule, string name, string subject, IAccessEvent accessEvent,
        List<AlertCandidate> alerts, string title, string? user, string? target)
    {
        if (!rule.Enabled)
        {
            return state;
        }

        var candidate = new AlertCandidate(name, rule.Severity, title, $"{name}:{subject}", user, target, accessEvent.SourceAddress,
            [accessEvent.EventId], accessEvent.OccurredAt);
        return Suppressed(state, rule, candidate) ? state : Raised(state, candidate, alerts);
    }

    private static bool Suppressed(DetectionState state, RuleSettings rule, AlertCandidate candidate) =>
        state.LastRaised.TryGetValue(candidate.DeduplicationKey, out var last) && candidate.DetectedAt - last < rule.Suppression;

    private static DetectionState Raised(DetectionState state, AlertCandidate candidate, List<AlertCandidate> alerts)
    {
        alerts.Add(candidate);
        return state with { LastRaised = state.LastRaised.SetItem(candidate.DeduplicationKey, candidate.DetectedAt) };
    }

    /// <summary>Forgets windows and suppressions older than any rule looks back, so the state stays small.</summary>
    public static DetectionState Prune(DetectionState state, DateTimeOffset now, TimeSpan longest) => state with
    {
        Windows = state.Windows.Where(w => w.Value.Count > 0 && w.Value.Max(h => h.At) > now - longest).ToImmutableDictionary(),
        LastRaised = state.LastRaised.Where(r => r.Value > now - longest).ToImmutableDictionary(),
    };
}
