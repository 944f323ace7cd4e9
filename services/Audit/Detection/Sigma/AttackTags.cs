using System.Collections.Frozen;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Gatehouse.Audit.Detection.Sigma;

/// <summary>
/// Sigma's MITRE ATT&amp;CK tags (<c>attack.t1059.004</c>, <c>attack.execution</c>) as OCSF <c>attack</c> objects, so a
/// SIEM reading the finding export sees the techniques and tactics without knowing Sigma's tag syntax.
/// </summary>
public static partial class AttackTags
{
    private static readonly FrozenDictionary<string, (string Uid, string Name)> Tactics = new Dictionary<string, (string, string)>
    {
        ["reconnaissance"] = ("TA0043", "Reconnaissance"),
        ["resource-development"] = ("TA0042", "Resource Development"),
        ["initial-access"] = ("TA0001", "Initial Access"),
        ["execution"] = ("TA0002", "Execution"),
        ["persistence"] = ("TA0003", "Persistence"),
        ["privilege-escalation"] = ("TA0004", "Privilege Escalation"),
        ["defense-evasion"] = ("TA0005", "Defense Evasion"),
        ["credential-access"] = ("TA0006", "Credential Access"),
        ["discovery"] = ("TA0007", "Discovery"),
        ["lateral-movement"] = ("TA0008", "Lateral Movement"),
        ["collection"] = ("TA0009", "Collection"),
        ["exfiltration"] = ("TA0010", "Exfiltration"),
        ["command-and-control"] = ("TA0011", "Command and Control"),
        ["impact"] = ("TA0040", "Impact"),
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    [GeneratedRegex(@"^attack\.t(\d{4})(?:\.(\d{3}))?$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Technique();

    /// <summary>One OCSF attack object per technique and per tactic tag; null when the tags name none.</summary>
    public static JsonArray? Attacks(IEnumerable<string> tags)
    {
        var attacks = new JsonArray();
        foreach (var tag in tags)
        {
            if (Technique().Match(tag) is { Success: true } technique)
            {
                var attack = new JsonObject { ["technique"] = new JsonObject { ["uid"] = $"T{technique.Groups[1].Value}" } };
                if (technique.Groups[2].Success)
                {
                    attack["sub_technique"] = new JsonObject { ["uid"] = $"T{technique.Groups[1].Value}.{technique.Groups[2].Value}" };
                }

                attacks.Add(attack);
            }
            else if (tag.StartsWith("attack.", StringComparison.OrdinalIgnoreCase)
                     && Tactics.TryGetValue(tag["attack.".Length..].Replace('_', '-'), out var tactic))
            {
                attacks.Add(new JsonObject { ["tactic"] = new JsonObject { ["uid"] = tactic.Uid, ["name"] = tactic.Name } });
            }
        }

        return attacks.Count > 0 ? attacks : null;
    }
}
