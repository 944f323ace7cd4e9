using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace Gatehouse.Audit.Detection.Sigma;

/// <summary>
/// One <c>Field|modifier|...</c> of a selection, compiled: which values of the record's field it accepts. Sigma's
/// defaults apply: values compare case-insensitively, <c>*</c> and <c>?</c> are wildcards (<c>\*</c>, <c>\?</c>,
/// <c>\\</c> are the characters), a list of values is an OR (with <c>all</c> an AND), <c>null</c> is a field the
/// event does not have. A field with several values (Arguments) matches when one of them does.
/// </summary>
public static class SigmaValueMatch
{
    /// <summary>The modifiers Gatehouse evaluates; anything else stops the rule at load, named.</summary>
    public static readonly IReadOnlySet<string> Supported = new HashSet<string>(StringComparer.Ordinal)
    {
        "contains", "startswith", "endswith", "all", "re", "i", "m", "s", "cased", "windash", "cidr", "exists",
    };

    private static readonly string[] Placements = ["contains", "startswith", "endswith", "re", "cidr", "exists"];

    /// <summary>The dashes <c>windash</c> treats alike at the start of an option: -, --, /, en dash, em dash, horizontal bar.</summary>
    private static readonly string[] Dashes = ["-", "--", "/", "\u2013", "\u2014", "\u2015"];

    private const int MostWindashForms = 256;

    /// <summary>Returns the compiled match, or throws <see cref="SigmaRuleError"/> with the reason (the caller adds the place).</summary>
    public static SigmaFieldMatch Compile(string field, IReadOnlyList<string> modifiers, IReadOnlyList<string?> values)
    {
        foreach (var modifier in modifiers)
        {
            if (!Supported.Contains(modifier))
            {
                throw new SigmaRuleError($"modifier '{modifier}' on '{field}' is not supported (Gatehouse evaluates {string.Join(", ", Supported)})");
            }
        }

        var placed = modifiers.Where(Placements.Contains).ToList();
        if (placed.Count > 1)
        {
            throw new SigmaRuleError($"'{field}' combines {string.Join(" and ", placed)}, which exclude each other");
        }

        var placement = placed.SingleOrDefault();
        var all = modifiers.Contains("all");
        var cased = modifiers.Contains("cased");
        var windash = modifiers.Contains("windash");
        if (placement != "re" && modifiers.FirstOrDefault(m => m is "i" or "m" or "s") is { } flag)
        {
            throw new SigmaRuleError($"'{field}' uses '{flag}', which only qualifies 're'");
        }

        if (placement is "re" or "cidr" or "exists" && (cased || windash))
        {
            throw new SigmaRuleError($"'{field}' combines {placement} with {(cased ? "cased" : "windash")}, which only qualify plain string matches");
        }

        if (values.Count == 0)
        {
            throw new SigmaRuleError($"'{field}' has an empty list of values");
        }

        if (all && values.Count < 2)
        {
            throw new SigmaRuleError($"'{field}' uses 'all' with a single value; the specification requires a list (use another selection)");
        }

        if (placement == "exists")
        {
            var expected = values is [{ } text] && bool.TryParse(text, out var b)
                ? b
                : throw new SigmaRuleError($"'{field}|exists' takes true or false");
            return new SigmaFieldMatch([], All: false, Exists: expected);
        }

        var matchers = values.Select(value => value is null ? null : Matcher(field, placement, modifiers, cased, windash, value)).ToArray();
        return new SigmaFieldMatch(matchers, all, Exists: null);
    }

    private static Func<string, bool> Matcher(string field, string? placement, IReadOnlyList<string> modifiers, bool cased, bool windash, string value)
    {
        switch (placement)
        {
            case "re":
                return Regex(field, value, modifiers);
            case "cidr":
                if (!IPNetwork.TryParse(value, out var network))
                {
                    throw new SigmaRuleError($"'{field}|cidr' value '{value}' is not an address range (10.0.0.0/8, 2001:db8::/32)");
                }

                return text => IPAddress.TryParse(text, out var address)
                    && network.Contains(address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address);
        }

        var forms = windash ? WindashForms(field, value) : [value];
        var compiled = forms.Select(form => Wildcard(form, placement, cased)).ToArray();
        return compiled.Length == 1 ? compiled[0] : text => compiled.Any(m => m(text));
    }

    private static Func<string, bool> Regex(string field, string pattern, IReadOnlyList<string> modifiers)
    {
        // Sigma's regular expressions are case-sensitive unless |i. The non-backtracking engine takes the flavour the
        // specification allows and cannot be made to run away by a crafted command line.
        var options = RegexOptions.NonBacktracking | RegexOptions.CultureInvariant;
        options |= modifiers.Contains("i") ? RegexOptions.IgnoreCase : 0;
        options |= modifiers.Contains("m") ? RegexOptions.Multiline : 0;
        options |= modifiers.Contains("s") ? RegexOptions.Singleline : 0;
        try
        {
            var regex = new Regex(pattern, options);
            return regex.IsMatch;
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException)
        {
            throw new SigmaRuleError($"'{field}|re' value is not a regular expression Gatehouse can evaluate ({ex.Message})");
        }
    }

    /// <summary>A plain, contains, startswith or endswith value with Sigma's wildcards; plain text takes the fast path.</summary>
    private static Func<string, bool> Wildcard(string value, string? placement, bool cased)
    {
        var comparison = cased ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase;
        if (value.IndexOfAny(['*', '?', '\\']) < 0)
        {
            return placement switch
            {
                "contains" => text => text.Contains(value, comparison),
                "startswith" => text => text.StartsWith(value, comparison),
                "endswith" => text => text.EndsWith(value, comparison),
                _ => text => text.Equals(value, comparison),
            };
        }

        var pattern = new StringBuilder(@"\A");
        if (placement is "contains" or "endswith")
        {
            pattern.Append(".*");
        }

        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c == '\\' && i + 1 < value.Length && value[i + 1] is '*' or '?' or '\\')
            {
                pattern.Append(System.Text.RegularExpressions.Regex.Escape(value[++i].ToString()));
            }
            else
            {
                pattern.Append(c switch { '*' => ".*", '?' => ".", _ => System.Text.RegularExpressions.Regex.Escape(c.ToString()) });
            }
        }

        if (placement is "contains" or "startswith")
        {
            pattern.Append(".*");
        }

        pattern.Append(@"\z");
        var options = RegexOptions.NonBacktracking | RegexOptions.CultureInvariant | RegexOptions.Singleline
            | (cased ? RegexOptions.None : RegexOptions.IgnoreCase);
        return new Regex(pattern.ToString(), options).IsMatch;
    }

    /// <summary>
    /// Every spelling of the value with each option dash (at the start or after a blank) written as any of
    /// <see cref="Dashes"/>: <c>-e</c> also matches <c>--e</c> and <c>/e</c>, <c>--login</c> also <c>-login</c>.
    /// </summary>
    public static IReadOnlyList<string> WindashForms(string field, string value)
    {
        var forms = new List<string> { "" };
        for (var i = 0; i < value.Length; i++)
        {
            var atOptionStart = i == 0 || char.IsWhiteSpace(value[i - 1]);
            var dash = atOptionStart ? Dashes.Where(d => value.AsSpan(i).StartsWith(d)).MaxBy(d => d.Length) : null;
            if (dash is null)
            {
                for (var f = 0; f < forms.Count; f++)
                {
                    forms[f] += value[i];
                }

                continue;
            }

            forms = forms.SelectMany(form => Dashes.Select(d => form + d)).ToList();
            if (forms.Count > MostWindashForms)
            {
                throw new SigmaRuleError($"'{field}|windash' value '{value}' has too many options to spell every way (more than {MostWindashForms})");
            }

            i += dash.Length - 1;
        }

        return forms;
    }
}

/// <summary>
/// A field's compiled values: each a test of one field value, null for <c>null</c> (the field is absent). OR of them, or
/// AND with <c>all</c>; <see cref="Exists"/> for <c>|exists</c>. Loops rather than LINQ: this runs for every rule on every event.
/// </summary>
public sealed record SigmaFieldMatch(Func<string, bool>?[] Values, bool All, bool? Exists)
{
    /// <summary>A field with one value; null or empty is absent.</summary>
    public bool One(string? value)
    {
        var present = !string.IsNullOrEmpty(value);
        if (Exists is { } exists)
        {
            return present == exists;
        }

        foreach (var test in Values)
        {
            var matched = test is null ? !present : present && test(value!);
            if (matched != All)
            {
                return matched;
            }
        }

        return All;
    }

    /// <summary>A field with several values (Arguments): a value matches when one of them does.</summary>
    public bool Many(IReadOnlyList<string> values)
    {
        if (Exists is { } exists)
        {
            return values.Count > 0 == exists;
        }

        foreach (var test in Values)
        {
            var matched = test is null ? values.Count == 0 : AnyOf(values, test);
            if (matched != All)
            {
                return matched;
            }
        }

        return All;
    }

    private static bool AnyOf(IReadOnlyList<string> values, Func<string, bool> test)
    {
        for (var i = 0; i < values.Count; i++)
        {
            if (test(values[i]))
            {
                return true;
            }
        }

        return false;
    }
}

/// <summary>Why a rule cannot be loaded; the loader adds the file and line.</summary>
public sealed class SigmaRuleError(string reason, int? line = null) : Exception(reason)
{
    public int? Line { get; } = line;
}
