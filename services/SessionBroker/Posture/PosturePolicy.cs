using Gatehouse.Contracts;

namespace Gatehouse.SessionBroker.Posture;

/// <summary>What the policy says for one session: the action, the rule that decided it and the findings that triggered it.</summary>
public sealed record PostureVerdict(PostureAction Action, PostureRule? Rule, IReadOnlyList<PostureFinding> Triggering, bool Overridden)
{
    /// <summary>The line shown to the user when warned or refused.</summary>
    public string Message(string target) =>
        $"{target}'s SSH server has {(Triggering.Count == 1 ? "a finding" : $"{Triggering.Count} findings")} at or above {Rule?.AtOrAbove.ToString().ToLowerInvariant()}: "
        + string.Join("; ", Triggering.Select(f => $"{f.Code} ({f.Severity.ToString().ToLowerInvariant()})"))
        + (Overridden ? " (allowed by an administrator's emergency override)" : "");
}

/// <summary>
/// The per-label posture policy as a pure decision: of the rules matching the target's labels (and <c>*</c>), the
/// strictest action any finding reaches wins. An emergency override in force turns a refusal into a warning.
/// </summary>
public static class PosturePolicy
{
    public static PostureVerdict Decide(IReadOnlyList<PostureRule> rules, IReadOnlyDictionary<string, string>? labels,
        IReadOnlyList<PostureFinding> findings, DateTimeOffset? overrideUntil, DateTimeOffset now)
    {
        var verdict = new PostureVerdict(PostureAction.Record, null, [], false);
        foreach (var rule in rules.Where(r => Matches(r.Label, labels)))
        {
            var triggering = findings.Where(f => f.Severity >= rule.AtOrAbove).ToList();
            if (triggering.Count > 0 && rule.Action > verdict.Action)
            {
                verdict = new PostureVerdict(rule.Action, rule, triggering, false);
            }
        }

        return verdict.Action == PostureAction.Refuse && overrideUntil is { } until && until > now
            ? verdict with { Action = PostureAction.Warn, Overridden = true }
            : verdict;
    }

    /// <summary>Whether a rule's label (key=value, or *) selects a target with <paramref name="labels"/>.</summary>
    public static bool Matches(string label, IReadOnlyDictionary<string, string>? labels)
    {
        if (label == "*") return true;
        var equals = label.IndexOf('=');
        return equals > 0 && labels is not null && labels.TryGetValue(label[..equals], out var value) && value == label[(equals + 1)..];
    }
}
