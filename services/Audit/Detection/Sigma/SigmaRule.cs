using Gatehouse.Contracts.Alerts;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Gatehouse.Audit.Detection.Sigma;

/// <summary>
/// A Sigma rule compiled for Gatehouse: its identity and level, the log source it reads, and a pure match over one
/// record of an event. Built only by <see cref="Parse"/>, which refuses anything it could not evaluate exactly.
/// </summary>
/// <param name="Name">The rule's name on its alerts: <c>sigma:</c> and the rule's <c>name</c>, or its <c>id</c> when it has none.</param>
public sealed record SigmaRule(
    string Id,
    string Name,
    string Title,
    AlertSeverity Severity,
    IReadOnlyList<string> Tags,
    SigmaLogSource LogSource,
    string File,
    Func<SigmaRecord, bool> Matches)
{
    public const string NamePrefix = "sigma:";

    /// <summary>Reads one rule file. Throws <see cref="SigmaRuleError"/> with the line the problem is on.</summary>
    public static SigmaRule Parse(string yaml, string file)
    {
        var stream = new YamlStream();
        var parser = new Parser(new StringReader(yaml));
        try
        {
            stream.Load(parser);
        }
        catch (YamlException ex)
        {
            throw new SigmaRuleError($"not valid YAML: {ex.InnerException?.Message ?? Reason(ex)}", (int)ex.Start.Line);
        }
        catch (InvalidOperationException)
        {
            // Some malformed input stops YamlDotNet's scanner without a place: the last piece it read is the nearest.
            throw new SigmaRuleError("not valid YAML after this line", (int)(parser.Current?.End.Line ?? 1));
        }

        if (stream.Documents.Count != 1)
        {
            throw new SigmaRuleError(stream.Documents.Count == 0
                ? "the file holds no rule"
                : "the file holds several YAML documents (a rule collection); Gatehouse reads one rule a file", stream.Documents.Count == 0 ? 1 : Line(stream.Documents[1].RootNode));
        }

        if (stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            throw new SigmaRuleError("a rule is a mapping (title:, id:, logsource:, detection:, level:, ...)", Line(stream.Documents[0].RootNode));
        }

        var title = RequiredText(root, "title");
        var id = RequiredText(root, "id");
        var name = Text(root, "name") ?? id;
        var severity = Text(root, "level") switch
        {
            "informational" or "low" => AlertSeverity.Low,
            "medium" => AlertSeverity.Medium,
            "high" => AlertSeverity.High,
            "critical" => AlertSeverity.Critical,
            null => throw new SigmaRuleError("the rule has no level (informational, low, medium, high or critical): its alerts need a severity", Line(root)),
            var other => throw new SigmaRuleError($"level '{other}' is not informational, low, medium, high or critical", Line(Child(root, "level")!)),
        };
        var tags = Child(root, "tags") switch
        {
            null => [],
            YamlSequenceNode list => list.Children.Select(t => t is YamlScalarNode { Value: { } tag } ? tag
                : throw new SigmaRuleError("tags are a list of words (attack.t1059.004, attack.execution)", Line(t))).ToList(),
            var other => throw new SigmaRuleError("tags are a list", Line(other)),
        };

        var logSource = LogSourceOf(root);
        var detection = Child(root, "detection") as YamlMappingNode
            ?? throw new SigmaRuleError("the rule has no detection mapping", Line(Child(root, "detection") ?? root));
        var selections = new Dictionary<string, Func<SigmaRecord, bool>>(StringComparer.Ordinal);
        YamlNode? condition = null;
        foreach (var (key, value) in detection.Children)
        {
            var identifier = ((YamlScalarNode)key).Value ?? "";
            if (identifier == "condition")
            {
                condition = value;
            }
            else if (identifier == "timeframe")
            {
                throw new SigmaRuleError("'timeframe' (aggregation over time) is not supported; Gatehouse evaluates one event at a time", Line(key));
            }
            else
            {
                selections[identifier] = Selection(identifier, value, logSource);
            }
        }

        var matches = condition switch
        {
            null => throw new SigmaRuleError("the detection has no condition", KeyLine(root, "detection")),
            YamlScalarNode { Value: { } text } => At(condition, () => SigmaCondition.Compile(text, selections)),
            // A list of conditions: any of them.
            YamlSequenceNode list => list.Children.Select(c => c is YamlScalarNode { Value: { } text }
                    ? At(c, () => SigmaCondition.Compile(text, selections))
                    : throw new SigmaRuleError("a condition is text", Line(c)))
                .Aggregate((a, b) => r => a(r) || b(r)),
            _ => throw new SigmaRuleError("the condition is text or a list of texts", Line(condition)),
        };

        return new SigmaRule(id, NamePrefix + name, title, severity, tags, logSource, file, matches);
    }

    private static SigmaLogSource LogSourceOf(YamlMappingNode root)
    {
        var node = Child(root, "logsource") as YamlMappingNode
            ?? throw new SigmaRuleError("the rule has no logsource mapping (product: gatehouse, category: ...)", Line(Child(root, "logsource") ?? root));
        var product = Text(node, "product");
        if (product != SigmaLogSources.Product)
        {
            throw new SigmaRuleError($"logsource product is '{product}'; Gatehouse reads rules for product '{SigmaLogSources.Product}'",
                Line(Child(node, "product") ?? node));
        }

        if (Child(node, "service") is { } service)
        {
            throw new SigmaRuleError("logsource service is not used by Gatehouse: name a category", Line(service));
        }

        var category = Text(node, "category") ?? throw new SigmaRuleError("logsource has no category", Line(node));
        return SigmaLogSources.Find(category)
            ?? throw new SigmaRuleError($"logsource category '{category}' is not a Gatehouse category ({string.Join(", ", SigmaLogSources.All.Select(s => s.Category))})",
                Line(Child(node, "category")!));
    }

    /// <summary>A map is an AND of its fields; a list of maps is an OR of them.</summary>
    private static Func<SigmaRecord, bool> Selection(string identifier, YamlNode node, SigmaLogSource logSource) => node switch
    {
        YamlMappingNode map when map.Children.Count > 0 => AndOf(map, logSource),
        YamlSequenceNode list when list.Children.Count > 0 && list.Children.All(c => c is YamlMappingNode) =>
            AnyOf(list.Children.Select(c => AndOf((YamlMappingNode)c, logSource)).ToArray()),
        YamlSequenceNode or YamlScalarNode => throw new SigmaRuleError(
            $"selection '{identifier}' is a keyword search; Gatehouse matches named fields only (write Field|contains: ...)", Line(node)),
        _ => throw new SigmaRuleError($"selection '{identifier}' is empty", Line(node)),
    };

    private static Func<SigmaRecord, bool> AnyOf(Func<SigmaRecord, bool>[] maps) => r =>
    {
        foreach (var map in maps)
        {
            if (map(r))
            {
                return true;
            }
        }

        return false;
    };

    private static Func<SigmaRecord, bool> AndOf(YamlMappingNode map, SigmaLogSource logSource)
    {
        var fields = map.Children.Select(pair => FieldMatch(pair.Key, pair.Value, logSource)).ToArray();
        return r =>
        {
            foreach (var field in fields)
            {
                if (!field(r))
                {
                    return false;
                }
            }

            return true;
        };
    }

    private static Func<SigmaRecord, bool> FieldMatch(YamlNode key, YamlNode value, SigmaLogSource logSource)
    {
        var parts = (((YamlScalarNode)key).Value ?? "").Split('|');
        var (name, modifiers) = (parts[0], parts[1..]);
        if (!logSource.Fields.TryGetValue(name, out var field))
        {
            throw new SigmaRuleError($"'{name}' is not a field of {SigmaLogSources.Product}/{logSource.Category} ({string.Join(", ", logSource.Fields.Keys)})", Line(key));
        }

        var values = value switch
        {
            YamlScalarNode scalar => [ValueOf(scalar)],
            YamlSequenceNode list => list.Children.Select(c => c is YamlScalarNode s ? ValueOf(s)
                : throw new SigmaRuleError($"'{name}' lists something other than a value", Line(c))).ToList(),
            _ => throw new SigmaRuleError($"'{name}' takes a value or a list of values", Line(value)),
        };
        var match = At(key, () => SigmaValueMatch.Compile(name, modifiers, values));
        return field.One is { } one ? r => match.One(one(r)) : r => match.Many(field.Many!(r));
    }

    /// <summary>Plain <c>null</c>, <c>~</c> or nothing is YAML's null: the field is absent. Numbers compare as their text.</summary>
    private static string? ValueOf(YamlScalarNode scalar) =>
        scalar.Style == YamlDotNet.Core.ScalarStyle.Plain && scalar.Value is null or "" or "null" or "~" ? null : scalar.Value ?? "";

    private static T At<T>(YamlNode node, Func<T> compile)
    {
        try
        {
            return compile();
        }
        catch (SigmaRuleError error) when (error.Line is null)
        {
            throw new SigmaRuleError(error.Message, Line(node));
        }
    }

    private static YamlNode? Child(YamlMappingNode map, string key) =>
        map.Children.TryGetValue(new YamlScalarNode(key), out var node) ? node : null;

    private static string? Text(YamlMappingNode map, string key) => Child(map, key) switch
    {
        null => null,
        YamlScalarNode { Value: { Length: > 0 } text } => text,
        var other => throw new SigmaRuleError($"'{key}' should be text", Line(other)),
    };

    private static string RequiredText(YamlMappingNode map, string key) =>
        Text(map, key) ?? throw new SigmaRuleError($"the rule has no {key}", Line(map));

    private static int Line(YamlNode node) => (int)node.Start.Line;

    private static int KeyLine(YamlMappingNode map, string key) => Line(map.Children.Keys.First(k => k is YamlScalarNode { Value: var v } && v == key));

    private static string Reason(YamlException ex)
    {
        // YamlDotNet prefixes its message with the place, which the loader gives on its own.
        var message = ex.Message;
        var cut = message.IndexOf("): ", StringComparison.Ordinal);
        return cut >= 0 ? message[(cut + 3)..] : message;
    }
}
