using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Text.RegularExpressions;
using Gatehouse.Contracts;
using Gatehouse.Contracts.Alerts;
using Gatehouse.ServiceDefaults.Security;
using Gatehouse.Vocabulary;

namespace Gatehouse.Audit.Detection;

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
    public const string AntiForensic = "anti-forensic";
    public const string TargetFanOut = "target-fan-out";
    public const string DormantAccount = "dormant-account";
    public const string SelfApproval = "self-approval";
    public const string HostKeyChanged = "host-key-changed";
    public const string RefusedAdminChange = "refused-admin-change";
    public const string VulnerableTarget = "vulnerable-target";
    public const string BastionCritical = "bastion-critical";

    /// <summary>
    /// Every rule, declared once. An event is judged by the rules that see its type in this order, which is the order
    /// their alerts come in (dormant-account before new-source before outside-business-hours on one login).
    /// </summary>
    // A command a policy stopped is judged like one that ran: the attempt is the signal.
    private static readonly IReadOnlyList<Type> CommandEvents = [typeof(CommandExecuted), typeof(CommandBlocked)];

    public static readonly IReadOnlyList<DetectionRule> All =
    [
        new(BruteForce, () => new() { Severity = AlertSeverity.High, Threshold = 5, Window = TimeSpan.FromMinutes(5) }, [typeof(LoginFailed)],
            (state, accessEvent, rule, _, alerts) => accessEvent is LoginFailed failed && IsGuess(failed)
                ? Count(state, rule, BruteForce, failed.UserName, failed, failed.EventId.ToString(), alerts,
                    n => $"{n} failed logins for {failed.UserName}", user: failed.UserName)
                : state),
        // Threshold counts distinct user names failing from one source.
        new(PasswordSpraying, () => new() { Severity = AlertSeverity.High, Threshold = 5, Window = TimeSpan.FromMinutes(10) }, [typeof(LoginFailed)],
            (state, accessEvent, rule, _, alerts) => accessEvent is LoginFailed { SourceAddress: { } source } failed && IsGuess(failed)
                ? Count(state, rule, PasswordSpraying, source, failed, failed.UserName, alerts,
                    n => $"Failed logins for {n} different users from {source}", source: source)
                : state),
        // A wrong code arrives as MfaFailed or as a failed login.
        new(MfaFailures, () => new() { Severity = AlertSeverity.Medium, Threshold = 3, Window = TimeSpan.FromMinutes(10) },
            [typeof(MfaFailed), typeof(LoginFailed)],
            (state, accessEvent, rule, _, alerts) => accessEvent switch
                {
                    MfaFailed mfa => mfa.UserName,
                    LoginFailed { Reason: LoginFailureReason.WrongMfaCode or LoginFailureReason.MfaCodeReused } failed => failed.UserName,
                    _ => null,
                } is { } user
                ? Count(state, rule, MfaFailures, user, accessEvent, accessEvent.EventId.ToString(), alerts, n => $"{n} MFA failures for {user}", user: user)
                : state),
        // Window is how long without a login makes an account dormant.
        new(DormantAccount, () => new() { Severity = AlertSeverity.Medium, Window = TimeSpan.FromDays(30) }, [typeof(LoginSucceeded)],
            (state, accessEvent, rule, _, alerts) =>
                accessEvent is LoginSucceeded login && state.Users.GetValueOrDefault(login.UserName)?.LastLogin is { } last
                    && login.OccurredAt - last >= rule.Window
                    ? Raise(state, rule, DormantAccount, $"{login.UserName}:{last:O}", login, alerts,
                        $"{login.UserName} logged in after {(int)(login.OccurredAt - last).TotalDays} days without a login", login.UserName, null)
                    : state,
            WindowLooksBack: false),
        new(NewSource, () => new() { Severity = AlertSeverity.Medium }, [typeof(LoginSucceeded)],
            (state, accessEvent, rule, _, alerts) =>
                accessEvent is LoginSucceeded { SourceAddress: { } source } login
                    && state.Users.GetValueOrDefault(login.UserName) is { } known && !known.KnownSources.Contains(source)
                    ? Raise(state, rule, NewSource, $"{login.UserName}:{source}", login, alerts,
                        $"{login.UserName} logged in from {source}, never seen for them before", login.UserName, null)
                    : state),
        new(OutsideBusinessHours, () => new() { Severity = AlertSeverity.Low }, [typeof(LoginSucceeded), typeof(SessionStarted)],
            (state, accessEvent, rule, settings, alerts) => accessEvent switch
            {
                LoginSucceeded login => CheckBusinessHours(state, rule, login, login.UserName, null, settings.BusinessHours, alerts),
                SessionStarted session => CheckBusinessHours(state, rule, session, session.UserName, session.Target, settings.BusinessHours, alerts),
                _ => state,
            }),
        // Threshold counts distinct targets one user opens sessions on.
        new(TargetFanOut, () => new() { Severity = AlertSeverity.Medium, Threshold = 5, Window = TimeSpan.FromMinutes(10) }, [typeof(SessionStarted)],
            (state, accessEvent, rule, _, alerts) => accessEvent is SessionStarted session
                ? Count(state, rule, TargetFanOut, session.UserName, session, session.Target, alerts,
                    n => $"{session.UserName} opened sessions on {n} different targets", user: session.UserName, target: session.Target)
                : state),
        new(DenialBurst, () => new() { Severity = AlertSeverity.Medium, Threshold = 5, Window = TimeSpan.FromMinutes(5) }, [typeof(AccessDenied)],
            (state, accessEvent, rule, _, alerts) => accessEvent is AccessDenied denied
                ? Count(state, rule, DenialBurst, denied.UserName, denied, denied.EventId.ToString(), alerts,
                    n => $"{n} access denials for {denied.UserName}", user: denied.UserName, target: denied.Target)
                : state),
        new(PrivilegeEscalation, () => new PatternRuleSettings { Severity = AlertSeverity.High }, CommandEvents,
            (state, accessEvent, rule, _, alerts) => CheckCommand(state, rule, PrivilegeEscalation, CommandSignatures.Escalation, accessEvent, alerts,
                "escalated privileges", "escalate privileges")),
        new(DestructiveCommand, () => new PatternRuleSettings { Severity = AlertSeverity.Critical }, CommandEvents,
            (state, accessEvent, rule, _, alerts) => CheckCommand(state, rule, DestructiveCommand, CommandSignatures.Destructive, accessEvent, alerts,
                "ran a destructive command", "run a destructive command")),
        // Turning history or the audit trail off, or erasing them: what an intruder does before or after the real work.
        new(AntiForensic, () => new PatternRuleSettings { Severity = AlertSeverity.High }, CommandEvents,
            (state, accessEvent, rule, _, alerts) => CheckCommand(state, rule, AntiForensic, CommandSignatures.AntiForensic, accessEvent, alerts,
                "erased or turned off the record", "erase or turn off the record")),
        // Access one gives oneself: approving one's own request (even when refused), a grant to oneself, or through a role or
        // a label: joining a role that holds a grant, granting a role one is in, labelling a target into one's own grant; and
        // API roles (admin, approver) one gives oneself in Authentication, and approvals made with an approver role so had.
        new(SelfApproval, () => new() { Severity = AlertSeverity.High },
            [typeof(AccessRequestApproved), typeof(AccessRequestApprovalRefused), typeof(GrantIssued), typeof(RoleMemberAdded), typeof(TargetChanged),
                typeof(TargetRegistered), typeof(UserRolesChanged)],
            (state, accessEvent, rule, _, alerts) => accessEvent switch
            {
                AccessRequestApprovalRefused { Reason: ApprovalRefusalReason.OwnRequest } refused =>
                    Raise(state, rule, SelfApproval, $"request:{refused.RequestId}", refused, alerts,
                        $"{refused.UserName} tried to approve their own access request to {refused.Target} (refused)", refused.UserName, refused.Target),
                GrantIssued { SubjectKind: GrantSubjectKind.Role } grant when state.RoleMembers.GetValueOrDefault(grant.Subject)?.Contains(grant.Actor) == true =>
                    Raise(state, rule, SelfApproval, $"grant:{grant.GrantId}", grant, alerts,
                        $"{grant.Actor} issued a grant to role {grant.Subject}, which they belong to", grant.Actor, null),
                RoleMemberAdded added when added.Actor == added.UserName && GrantsOf(state, GrantSubjectKind.Role, added.Role, added.OccurredAt).Any() =>
                    Raise(state, rule, SelfApproval, $"role:{added.Role}:{added.UserName}:{added.EventId}", added, alerts,
                        $"{added.UserName} added themselves to role {added.Role}, which holds {Describe(GrantsOf(state, GrantSubjectKind.Role, added.Role, added.OccurredAt))}",
                        added.UserName, null),
                TargetChanged changed when LabelledIntoOwnGrant(state, changed.Actor, changed.Name, changed.Labels, changed.OccurredAt) is { Count: > 0 } gained =>
                    Raise(state, rule, SelfApproval, $"target:{changed.Name}:{changed.EventId}", changed, alerts,
                        $"{changed.Actor} changed the labels of {changed.Name} so it falls under {Describe(gained)} they hold", changed.Actor, changed.Name),
                TargetRegistered registered when LabelledIntoOwnGrant(state, registered.Actor, registered.Name, registered.Labels, registered.OccurredAt) is { Count: > 0 } gained =>
                    Raise(state, rule, SelfApproval, $"target:{registered.Name}:{registered.EventId}", registered, alerts,
                        $"{registered.Actor} registered {registered.Name} with labels that put it under {Describe(gained)} they hold", registered.Actor, registered.Name),
                AccessRequestApproved approved when approved.Actor == approved.UserName =>
                    Raise(state, rule, SelfApproval, $"request:{approved.RequestId}", approved, alerts,
                        $"{approved.UserName} approved their own access request to {approved.Target}", approved.UserName, approved.Target),
                AccessRequestApproved approved when state.SelfGivenRoles.GetValueOrDefault(approved.Actor)?.Contains(GatehousePolicies.Approver) == true =>
                    Raise(state, rule, SelfApproval, $"request:{approved.RequestId}", approved, alerts,
                        $"{approved.Actor} approved {approved.UserName}'s access request to {approved.Target} with the approver role they gave themselves",
                        approved.Actor, approved.Target),
                UserRolesChanged changed when changed.Actor == changed.UserName && Access.GainedRoles(state, changed) is { Count: > 0 } gained =>
                    Raise(state, rule, SelfApproval, $"roles:{changed.UserName}:{changed.EventId}", changed, alerts,
                        $"{changed.UserName} gave themselves the API role{(gained.Count == 1 ? "" : "s")} {string.Join(", ", gained.Order(StringComparer.Ordinal))}",
                        changed.UserName, null),
                GrantIssued { SubjectKind: GrantSubjectKind.User } grant when grant.Subject == grant.Actor =>
                    Raise(state, rule, SelfApproval, $"grant:{grant.GrantId}", grant, alerts,
                        $"{grant.Actor} issued a grant to themselves", grant.Actor, null),
                _ => state,
            }),
        new(HostKeyChanged, () => new() { Severity = AlertSeverity.High }, [typeof(TargetHostKeyPinned), typeof(TargetHostKeyMismatched)],
            (state, accessEvent, rule, _, alerts) => accessEvent switch
            {
                TargetHostKeyPinned { PreviousFingerprint: not null } pinned when pinned.PreviousFingerprint != pinned.Fingerprint =>
                    Raise(state, rule, HostKeyChanged, $"{pinned.Name}:{pinned.Fingerprint}", pinned, alerts,
                        $"Host key of {pinned.Name} changed from {pinned.PreviousFingerprint} to {pinned.Fingerprint}", null, pinned.Name),
                TargetHostKeyMismatched mismatch =>
                    Raise(state, rule, HostKeyChanged, $"{mismatch.Target}:{mismatch.OfferedFingerprint}", mismatch, alerts,
                        $"{mismatch.Target} offered host key {mismatch.OfferedFingerprint} instead of the pinned {mismatch.PinnedFingerprint}",
                        null, mismatch.Target),
                _ => state,
            }),
        // An admin write by someone whose token lacks the role is an attempt at once; other refusals (invalid input, a
        // conflict, an unknown id) are what administrators meet by mistake, so only a run of them from one actor fires.
        new(RefusedAdminChange, () => new() { Severity = AlertSeverity.Medium, Threshold = 5, Window = TimeSpan.FromMinutes(10) },
            [typeof(AccessChangeRefused), typeof(AccountChangeRefused), typeof(GatewayChangeRefused), typeof(AuditChangeRefused)],
            (state, accessEvent, rule, _, alerts) => Refusal(accessEvent) switch
            {
                { Reason: ChangeRefusalReason.Forbidden } refused =>
                    Raise(state, rule, RefusedAdminChange, $"forbidden:{accessEvent.Actor}", accessEvent, alerts,
                        $"{accessEvent.Actor} tried an administrative change without the admin role, refused: {refused.Change}"
                        + (refused.Subject is null ? "" : $" ({refused.Subject})")
                        + $"; their token carries {(refused.ActorRoles.Count == 0 ? "no role" : string.Join(", ", refused.ActorRoles))}",
                        accessEvent.Actor, null),
                { } => Count(state, rule, RefusedAdminChange, accessEvent.Actor, accessEvent, accessEvent.EventId.ToString(), alerts,
                    n => $"{n} administrative changes by {accessEvent.Actor} refused within {rule.Window.TotalMinutes:0} min", user: accessEvent.Actor),
                null => state,
            }),
        // A target whose SSH server was not known vulnerable now is (first seen, downgraded, or a newer table knows more).
        new(VulnerableTarget, () => new() { Severity = AlertSeverity.High }, [typeof(TargetSshInventoryChanged)],
            (state, accessEvent, rule, _, alerts) =>
                accessEvent is TargetSshInventoryChanged { WasVulnerable: false } changed && changed.Findings.Where(f => f.Vulnerability).ToList() is
                    { Count: > 0 } vulnerabilities
                    ? Raise(state, rule, VulnerableTarget, $"{changed.Target}:{changed.Server.Version}", changed, alerts,
                        $"{changed.Target} runs a vulnerable SSH server ({changed.Server.Version}): "
                        + string.Join(", ", vulnerabilities.Select(v => $"{v.Code} ({v.Severity.ToString().ToLowerInvariant()})")), null, changed.Target)
                    : state),
        // The doctor found something critical on the bastion itself (a service as root, a secret everyone can read).
        new(BastionCritical, () => new() { Severity = AlertSeverity.Critical, Suppression = TimeSpan.FromDays(1) }, [typeof(BastionDoctorReported)],
            (state, accessEvent, rule, _, alerts) =>
                accessEvent is BastionDoctorReported report && report.Findings.Where(f => f.Severity == FindingSeverity.Critical).ToList() is
                    { Count: > 0 } critical
                    ? Raise(state, rule, BastionCritical, $"{report.Host}:{string.Join(",", critical.Select(f => f.Code).Distinct().Order())}", report,
                        alerts, $"The bastion {report.Host} has critical findings: " + string.Join("; ", critical.Select(f => f.Title)), null, null)
                    : state),
    ];

    private static readonly FrozenDictionary<Type, DetectionRule[]> BySeenType = All
        .SelectMany(rule => rule.Sees.Select(type => (Type: type, Rule: rule)))
        .GroupBy(seen => seen.Type, seen => seen.Rule)
        .ToFrozenDictionary(group => group.Key, group => group.ToArray());

    private static readonly ConcurrentDictionary<string, Regex> Patterns = new();

    /// <summary>The rules that judge an event of this type, in the order of <see cref="All"/>.</summary>
    public static IReadOnlyList<DetectionRule> Judging(Type eventType) => BySeenType.GetValueOrDefault(eventType, []);

    public static (DetectionState State, IReadOnlyList<AlertRaised> Alerts) Evaluate(DetectionState state, long sequence,
        IAccessEvent accessEvent, DetectionSettings settings)
    {
        if (sequence <= state.LastSequence)
        {
            return (state, []);
        }

        var alerts = new List<AlertRaised>();
        foreach (var rule in Judging(accessEvent.GetType()))
        {
            state = rule.Evaluate(state, accessEvent, settings[rule.Name], settings, alerts);
        }

        // Remembered after the rules have judged the event against what came before it.
        state = accessEvent switch
        {
            LoginSucceeded login => Remember(state, login),
            _ => Access.Follow(state, accessEvent),
        };

        return (state with { LastSequence = sequence }, alerts);
    }

    /// <summary>
    /// The one shape of a finding, built-in or Sigma. Its ids derive from the deduplication key and the first triggering
    /// event, so the rules replayed, or a second Audit instance, make the same alert and collide instead of duplicating.
    /// </summary>
    public static AlertRaised NewAlert(string rule, AlertSeverity severity, string title, string deduplicationKey, string? user, string? target,
        string? source, IReadOnlyList<Guid> triggeringEventIds, DateTimeOffset at, string? ruleId = null, IReadOnlyList<string>? tags = null)
    {
        var trigger = triggeringEventIds[0].ToString("D");
        return new AlertRaised(DerivedIds.From("alert", deduplicationKey, trigger), rule, severity, title, deduplicationKey, user, target, source,
            triggeringEventIds, DerivedIds.From("alert-raised", deduplicationKey, trigger), at, ruleId, tags);
    }

    private sealed record RefusedChange(string Change, string? Subject, ChangeRefusalReason Reason, IReadOnlyList<string> ActorRoles);

    private static RefusedChange? Refusal(IAccessEvent accessEvent) => accessEvent switch
    {
        AccessChangeRefused refused => new(refused.Change, refused.Subject, refused.Reason, refused.ActorRoles),
        AccountChangeRefused refused => new(refused.Change, refused.UserName is null ? null : $"user {refused.UserName}", refused.Reason, refused.ActorRoles),
        GatewayChangeRefused refused => new(refused.Change, refused.Subject, refused.Reason, refused.ActorRoles),
        AuditChangeRefused refused => new(refused.Change, refused.Subject, refused.Reason, refused.ActorRoles),
        _ => null,
    };

    /// <summary>
    /// A failure that counts towards brute force and spraying: any reason but a wrong MFA code (mfa-failures counts those)
    /// and a login refused before the attempt was judged (service unavailable, account locked).
    /// </summary>
    private static bool IsGuess(LoginFailed failed) =>
        failed.Reason is not (LoginFailureReason.WrongMfaCode or LoginFailureReason.MfaCodeReused
            or LoginFailureReason.ServiceUnavailable or LoginFailureReason.AccountLocked);

    /// <summary>The grants in force at <paramref name="at"/> to this user or role.</summary>
    private static IEnumerable<(string Id, GrantScope Grant)> GrantsOf(DetectionState state, GrantSubjectKind kind, string subject, DateTimeOffset at) =>
        state.Grants.Where(g => g.Value.SubjectKind == kind && g.Value.Subject == subject && g.Value.LiveAt(at)).Select(g => (g.Key, g.Value));

    /// <summary>
    /// The grants the actor holds (directly or through a role) that cover the target with its new labels and did not with
    /// its old ones (none for a new target).
    /// </summary>
    private static List<(string Id, GrantScope Grant)> LabelledIntoOwnGrant(DetectionState state, string actor, string target,
        IReadOnlyDictionary<string, string> labels, DateTimeOffset at)
    {
        var before = state.TargetLabels.GetValueOrDefault(target);
        var roles = state.RoleMembers.Where(r => r.Value.Contains(actor)).Select(r => r.Key).ToHashSet();
        return state.Grants
            .Where(g => g.Value.LiveAt(at) && g.Value.TargetLabels.Count > 0
                && (g.Value.SubjectKind == GrantSubjectKind.User ? g.Value.Subject == actor : g.Value.SubjectKind == GrantSubjectKind.Role && roles.Contains(g.Value.Subject))
                && g.Value.Covers(target, labels) && !g.Value.Covers(target, before))
            .Select(g => (g.Key, g.Value)).ToList();
    }

    private static string Describe(IEnumerable<(string Id, GrantScope Grant)> grants) =>
        string.Join(", ", grants.Select(g => $"grant {g.Id} ({Scope(g.Grant)})"));

    private static string Scope(GrantScope grant) =>
        string.Join(", ", grant.TargetNames.Concat(grant.TargetLabels.Select(l => $"{l.Key}={l.Value}")));

    private static DetectionState Remember(DetectionState state, LoginSucceeded login)
    {
        var known = state.Users.GetValueOrDefault(login.UserName);
        var sources = known?.KnownSources ?? ImmutableHashSet<string>.Empty;
        var updated = new UserActivity(login.SourceAddress is null ? sources : sources.Add(login.SourceAddress),
            known?.LastLogin is { } previous && previous > login.OccurredAt ? previous : login.OccurredAt);
        return state with { Users = state.Users.SetItem(login.UserName, updated) };
    }

    /// <summary>
    /// Judges a command line that ran or was blocked: the rule's signatures against each command the shell reader reads
    /// in it (<c>r''m -fr /</c>, <c>{rm,-rf,/}</c> and <c>env rm -fr /</c> all run <c>rm -fr /</c>), then the operator's
    /// regular expressions against the line as typed and each command as <c>name arg arg</c>.
    /// </summary>
    private static DetectionState CheckCommand(DetectionState state, RuleSettings rule, string name, IReadOnlyList<CommandSignature> signatures,
        IAccessEvent accessEvent, List<AlertRaised> alerts, string did, string tried)
    {
        var (session, user, target, line, blockedBy) = accessEvent switch
        {
            CommandExecuted executed => (executed.SessionId, executed.UserName, executed.Target, executed.CommandLine, (string?)null),
            CommandBlocked blocked => (blocked.SessionId, blocked.UserName, blocked.Target, blocked.CommandLine, blocked.PolicyName),
            _ => default,
        };
        if (!rule.Enabled || line is null)
        {
            return state;
        }

        var commands = CommandSignatures.Read(line);
        var found = CommandSignatures.FirstMatch(signatures, commands) is var (signature, command)
            ? $"{Shown(line, command.Shown)}, {signature.Name}"
            : Texts(line, commands).FirstOrDefault(text => ((PatternRuleSettings)rule).Patterns.Any(pattern => Matches(pattern, text))) is { } text
                ? Shown(line, text)
                : null;
        if (found is null)
        {
            return state;
        }

        return blockedBy is null
            ? Raise(state, rule, name, $"{session}:{line}", accessEvent, alerts, $"{user} {did} on {target}: {found}", user, target)
            : Raise(state, rule, name, $"blocked:{session}:{line}", accessEvent, alerts,
                $"{user} tried to {tried} on {target}, blocked by policy {blockedBy}: {found}", user, target);
    }

    private static IEnumerable<string> Texts(string line, IReadOnlyList<ReadCommand> commands) =>
        commands.Select(c => c.Shown).Prepend(line);

    private static string Shown(string line, string matched) => matched == line ? matched : $"{line} (runs {matched})";

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

    private static DetectionState CheckBusinessHours(DetectionState state, RuleSettings rule, IAccessEvent accessEvent, string user, string? target,
        BusinessHours hours, List<AlertRaised> alerts)
    {
        var local = TimeZoneInfo.ConvertTime(accessEvent.OccurredAt, TimeZoneInfo.FindSystemTimeZoneById(hours.TimeZone));
        var time = TimeOnly.FromDateTime(local.DateTime);
        if (hours.Days.Contains(local.DayOfWeek) && time >= hours.Start && time < hours.End)
        {
            return state;
        }

        return Raise(state, rule, OutsideBusinessHours, $"{user}:{local:yyyy-MM-dd}", accessEvent, alerts,
            $"{user} accessed {(target is null ? "Gatehouse" : target)} outside business hours ({local:ddd HH:mm} {hours.TimeZone})", user, target);
    }

    /// <summary>
    /// Adds the event to the rule's window for <paramref name="subject"/> and fires when the number of distinct
    /// <paramref name="counted"/> values within the window reaches the threshold.
    /// </summary>
    private static DetectionState Count(DetectionState state, RuleSettings rule, string name, string subject, IAccessEvent accessEvent,
        string counted, List<AlertRaised> alerts, Func<int, string> title, string? user = null, string? target = null, string? source = null)
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

        var candidate = NewAlert(name, rule.Severity, title(distinct), key, user, target, source ?? accessEvent.SourceAddress,
            hits.Select(h => h.EventId).ToList(), accessEvent.OccurredAt);
        return Suppressed(state, rule, candidate) ? state : Raised(state, candidate, alerts) with
        {
            // A fired window starts again, so the next alert needs a full threshold of new events.
            Windows = state.Windows.Remove(key),
        };
    }

    private static DetectionState Raise(DetectionState state, RuleSettings rule, string name, string subject, IAccessEvent accessEvent,
        List<AlertRaised> alerts, string title, string? user, string? target)
    {
        if (!rule.Enabled)
        {
            return state;
        }

        var candidate = NewAlert(name, rule.Severity, title, $"{name}:{subject}", user, target, accessEvent.SourceAddress,
            [accessEvent.EventId], accessEvent.OccurredAt);
        return Suppressed(state, rule, candidate) ? state : Raised(state, candidate, alerts);
    }

    private static bool Suppressed(DetectionState state, RuleSettings rule, AlertRaised candidate) =>
        state.LastRaised.TryGetValue(candidate.DeduplicationKey, out var last) && candidate.RaisedAt - last < rule.Suppression;

    private static DetectionState Raised(DetectionState state, AlertRaised candidate, List<AlertRaised> alerts)
    {
        alerts.Add(candidate);
        return state with { LastRaised = state.LastRaised.SetItem(candidate.DeduplicationKey, candidate.RaisedAt) };
    }

    /// <summary>
    /// How far back the rules look: the longest window (what a count still needs) and the longest suppression (how long a
    /// raised finding is remembered). Kept apart so that one rule's day-long suppression does not keep every window a day.
    /// </summary>
    public sealed record LookBack(TimeSpan Windows, TimeSpan Suppressions);

    /// <summary>What <see cref="Prune"/> must keep.</summary>
    public static LookBack LongestLookBack(DetectionSettings settings) => new(
        All.Where(rule => rule.WindowLooksBack).Max(rule => settings[rule.Name].Window),
        All.Max(rule => settings[rule.Name].Suppression));

    /// <summary>Forgets windows and suppressions older than any rule looks back, so the state stays small.</summary>
    public static DetectionState Prune(DetectionState state, DateTimeOffset now, LookBack longest) => state with
    {
        Windows = state.Windows.Where(w => w.Value.Count > 0 && w.Value.Max(h => h.At) > now - longest.Windows).ToImmutableDictionary(),
        LastRaised = state.LastRaised.Where(r => r.Value > now - longest.Suppressions).ToImmutableDictionary(),
        Grants = state.Grants.Values.All(g => g.LiveAt(now)) ? state.Grants : state.Grants.Where(g => g.Value.LiveAt(now)).ToImmutableDictionary(),
    };
}
