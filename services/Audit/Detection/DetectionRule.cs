using Gatehouse.Contracts;
using Gatehouse.Contracts.Alerts;

namespace Gatehouse.Audit.Detection;

/// <summary>How a rule judges one event it sees: the state it leaves, adding what it raises to <c>alerts</c>.</summary>
public delegate DetectionState RuleEvaluation(DetectionState state, IAccessEvent accessEvent, RuleSettings rule, DetectionSettings settings,
    List<AlertRaised> alerts);

/// <summary>
/// One alert rule, declared once in <see cref="DetectionRules.All"/>. Its settings and their configuration key, the
/// dispatch by event type and how long the rules' state is kept all derive from this, so a rule cannot be half added.
/// </summary>
/// <param name="Name">The rule's name on its alerts, e.g. "brute-force".</param>
/// <param name="Defaults">Its settings as shipped; configuration under <see cref="SettingsKey"/> tunes a copy of them.</param>
/// <param name="Sees">The access event types it judges; the dispatcher hands it no others.</param>
/// <param name="Evaluate">The rule itself, a pure function on the event's own time.</param>
/// <param name="WindowLooksBack">
/// False when <see cref="RuleSettings.Window"/> is not how far back the rule looks: dormant-account's 30 days without a
/// login live in each user's activity, which is never pruned, so they must not keep every window and suppression as long.
/// </param>
public sealed record DetectionRule(string Name, Func<RuleSettings> Defaults, IReadOnlyList<Type> Sees, RuleEvaluation Evaluate,
    bool WindowLooksBack = true)
{
    /// <summary>Where operators tune it: the name in PascalCase under <see cref="DetectionSettings.Section"/> (brute-force: BruteForce).</summary>
    public string SettingsKey { get; } = string.Concat(Name.Split('-').Select(word => char.ToUpperInvariant(word[0]) + word[1..]));
}
