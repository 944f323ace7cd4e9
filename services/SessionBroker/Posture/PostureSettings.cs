using Gatehouse.Contracts;

namespace Gatehouse.SessionBroker.Posture;

/// <summary>What the gateway does about a target's findings: record them only, warn the user in the session, or refuse.</summary>
public enum PostureAction
{
    Record,
    Warn,
    Refuse,
}

/// <summary>One line of the posture policy: for targets with <see cref="Label"/> (key=value, or * for every target).</summary>
public sealed class PostureRule
{
    public string Label { get; set; } = "*";

    public PostureAction Action { get; set; } = PostureAction.Record;

    /// <summary>The action applies when a finding is at or above this severity.</summary>
    public FindingSeverity AtOrAbove { get; set; } = FindingSeverity.High;
}

/// <summary>The target posture settings, from <c>Gatehouse:Posture</c>.</summary>
public sealed class PostureSettings
{
    public const string Section = "Gatehouse:Posture";

    /// <summary>The vulnerability table; empty means the one shipped with this release, next to the service.</summary>
    public string VulnerabilityTable { get; set; } = "";

    /// <summary>The doctor reports a table older than this: new vulnerabilities are published every month.</summary>
    public TimeSpan MaxTableAge { get; set; } = TimeSpan.FromDays(90);

    /// <summary>The policy; with none, findings are recorded only.</summary>
    public List<PostureRule> Rules { get; set; } = [];

    /// <summary>What stops the service at start: a table that does not read (with its line and why) or a rule that selects nothing.</summary>
    public static IReadOnlyList<string> Problems(PostureSettings settings)
    {
        var problems = new List<string>();
        try
        {
            Posture.VulnerabilityTable.Load(settings.TablePath());
        }
        catch (Exception e) when (e is VulnerabilityTableException or IOException or UnauthorizedAccessException)
        {
            problems.Add($"The vulnerability table cannot be used: {e.Message}");
        }

        problems.AddRange(settings.Rules.Where(r => r.Label != "*" && !(r.Label.IndexOf('=') is var equals && equals > 0 && equals < r.Label.Length - 1))
            .Select(r => $"Posture rule label '{r.Label}' is neither key=value nor *"));
        return problems;
    }

    public string TablePath() =>
        VulnerabilityTable.Length > 0 ? VulnerabilityTable : Path.Combine(AppContext.BaseDirectory, Posture.VulnerabilityTable.ShippedFileName);
}
