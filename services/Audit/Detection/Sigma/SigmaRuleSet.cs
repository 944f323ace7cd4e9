using System.Collections.Frozen;
using Gatehouse.Contracts;
using Gatehouse.Contracts.Alerts;

namespace Gatehouse.Audit.Detection.Sigma;

/// <summary>
/// The Sigma rules loaded at start, dispatched by event type. Evaluated by the alert detector next to the built-in
/// rules, on the same state: the same sequence guard (a page seen again raises nothing), the same suppression by
/// deduplication key and the same alert ids derived from key and triggering event, so redelivery and a second Audit
/// instance cannot duplicate a Sigma alert either.
/// </summary>
public sealed class SigmaRuleSet
{
    /// <summary>A rule matching the same subject again (see <see cref="SigmaLogSource.Subject"/>) is not raised again for this long.</summary>
    public static readonly TimeSpan Suppression = TimeSpan.FromHours(1);

    private readonly FrozenDictionary<Type, SigmaRule[]> _byType;

    public SigmaRuleSet(IReadOnlyList<SigmaRule> rules)
    {
        Rules = rules;
        _byType = rules.SelectMany(rule => rule.LogSource.EventTypes.Select(type => (Type: type, Rule: rule)))
            .GroupBy(seen => seen.Type, seen => seen.Rule)
            .ToFrozenDictionary(group => group.Key, group => group.ToArray());
    }

    public static readonly SigmaRuleSet None = new([]);

    public IReadOnlyList<SigmaRule> Rules { get; }

    /// <summary>The rules that match the event, on any of its records (one per simple command of a command line).</summary>
    public IEnumerable<SigmaRule> Matching(IAccessEvent accessEvent)
    {
        if (!_byType.TryGetValue(accessEvent.GetType(), out var rules))
        {
            return [];
        }

        var records = Records(accessEvent);
        return rules.Where(rule => Matches(rule, records));
    }

    /// <summary>
    /// The Sigma rules' judgement of one stored event: the alerts they raise and the state with their suppressions
    /// remembered. Leaves <see cref="DetectionState.LastSequence"/> to the built-in rules, which run after.
    /// </summary>
    public (DetectionState State, IReadOnlyList<AlertRaised> Alerts) Evaluate(DetectionState state, long sequence, IAccessEvent accessEvent)
    {
        if (sequence <= state.LastSequence)
        {
            return (state, []);
        }

        if (!_byType.TryGetValue(accessEvent.GetType(), out var rules))
        {
            return (state, []);
        }

        var records = Records(accessEvent);
        var alerts = new List<AlertRaised>();
        foreach (var rule in rules)
        {
            if (!Matches(rule, records))
            {
                continue;
            }

            var (user, target, summary) = rule.LogSource.About(accessEvent);
            var key = $"{rule.Name}:{rule.LogSource.Subject(accessEvent)}";
            if (state.LastRaised.TryGetValue(key, out var last) && accessEvent.OccurredAt - last < Suppression)
            {
                continue;
            }

            alerts.Add(DetectionRules.NewAlert(rule.Name, rule.Severity, $"{rule.Title}: {summary}", key, user, target, accessEvent.SourceAddress,
                [accessEvent.EventId], accessEvent.OccurredAt, rule.Id, rule.Tags));
            state = state with { LastRaised = state.LastRaised.SetItem(key, accessEvent.OccurredAt) };
        }

        return (state, alerts);
    }

    private static bool Matches(SigmaRule rule, SigmaRecord[] records)
    {
        foreach (var record in records)
        {
            if (rule.Matches(record))
            {
                return true;
            }
        }

        return false;
    }

    private static SigmaRecord[] Records(IAccessEvent accessEvent)
    {
        var commands = accessEvent switch
        {
            CommandExecuted e => e.Commands,
            CommandBlocked e => e.Commands,
            _ => null,
        };
        return commands is { Count: > 0 }
            ? commands.Select(command => SigmaRecord.Of(accessEvent, command)).ToArray()
            : [SigmaRecord.Of(accessEvent, null)];
    }

    /// <summary>
    /// Reads every <c>*.yml</c> and <c>*.yaml</c> file of the folders, in name order. Throws <see cref="SigmaRulesRefused"/>
    /// naming every file, line and reason when any rule cannot be evaluated exactly, or two rules share an id or name.
    /// </summary>
    public static SigmaRuleSet Load(IEnumerable<string> folders)
    {
        var rules = new List<SigmaRule>();
        var problems = new List<string>();
        foreach (var file in folders.SelectMany(folder => Directory.EnumerateFiles(folder, "*.*", SearchOption.AllDirectories)
                     .Where(f => f.EndsWith(".yml", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase))
                     .Order(StringComparer.Ordinal)))
        {
            try
            {
                var rule = SigmaRule.Parse(File.ReadAllText(file), file);
                if (rules.FirstOrDefault(r => r.Id == rule.Id || r.Name == rule.Name) is { } earlier)
                {
                    problems.Add($"{file}:1: rule id or name '{rule.Name[SigmaRule.NamePrefix.Length..]}' is already used by {earlier.File}");
                    continue;
                }

                rules.Add(rule);
            }
            catch (SigmaRuleError error)
            {
                problems.Add($"{file}:{error.Line ?? 1}: {error.Message}");
            }
        }

        return problems.Count > 0 ? throw new SigmaRulesRefused(problems) : new SigmaRuleSet(rules);
    }
}

/// <summary>Loaded Sigma rules that cannot be evaluated exactly: the service does not start with them.</summary>
public sealed class SigmaRulesRefused(IReadOnlyList<string> problems)
    : Exception("Sigma rules refused (file:line: reason):" + string.Concat(problems.Select(p => Environment.NewLine + "  " + p)))
{
    public IReadOnlyList<string> Problems { get; } = problems;
}
