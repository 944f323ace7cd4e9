using System.Text.RegularExpressions;

namespace Gatehouse.Audit.Detection.Sigma;

/// <summary>
/// A rule's <c>condition</c>, compiled over its named selections: <c>and</c>, <c>or</c>, <c>not</c>, parentheses,
/// <c>1 of sel*</c>, <c>any of sel*</c>, <c>all of sel*</c>, <c>1 of them</c>, <c>all of them</c> (<c>them</c> leaves out
/// selections whose names start with <c>_</c>). Precedence, tightest first: <c>x of</c>, <c>not</c>, <c>and</c>,
/// <c>or</c>. Aggregations (<c>| count() ...</c>) are not evaluated: they stop the rule at load.
/// </summary>
public static partial class SigmaCondition
{
    public static Func<SigmaRecord, bool> Compile(string condition, IReadOnlyDictionary<string, Func<SigmaRecord, bool>> selections)
    {
        if (condition.Contains('|'))
        {
            throw new SigmaRuleError("aggregations in the condition ('| count() ...') are not supported; Gatehouse evaluates one event at a time");
        }

        var tokens = Tokens().Matches(condition).Select(m => m.Value).ToList();
        if (tokens.Count == 0)
        {
            throw new SigmaRuleError("the condition is empty");
        }

        var parser = new Parser(tokens, selections);
        var compiled = parser.Or();
        if (parser.Position < tokens.Count)
        {
            throw new SigmaRuleError($"the condition has '{tokens[parser.Position]}' where it should end or continue with and/or");
        }

        return compiled;
    }

    [GeneratedRegex(@"\(|\)|[^\s()]+")]
    private static partial Regex Tokens();

    private sealed class Parser(List<string> tokens, IReadOnlyDictionary<string, Func<SigmaRecord, bool>> selections)
    {
        public int Position { get; private set; }

        private string? Peek => Position < tokens.Count ? tokens[Position] : null;

        private bool Take(string keyword)
        {
            if (Peek is { } token && token.Equals(keyword, StringComparison.OrdinalIgnoreCase))
            {
                Position++;
                return true;
            }

            return false;
        }

        public Func<SigmaRecord, bool> Or()
        {
            var left = And();
            while (Take("or"))
            {
                var (a, b) = (left, And());
                left = r => a(r) || b(r);
            }

            return left;
        }

        private Func<SigmaRecord, bool> And()
        {
            var left = Not();
            while (Take("and"))
            {
                var (a, b) = (left, Not());
                left = r => a(r) && b(r);
            }

            return left;
        }

        private Func<SigmaRecord, bool> Not()
        {
            if (Take("not"))
            {
                var inner = Not();
                return r => !inner(r);
            }

            return Primary();
        }

        private Func<SigmaRecord, bool> Primary()
        {
            var token = Peek ?? throw new SigmaRuleError("the condition ends where a selection, 'not', '(' or 'x of' should follow");
            if (Take("("))
            {
                var inner = Or();
                return Take(")") ? inner : throw new SigmaRuleError("the condition has a '(' that is not closed");
            }

            if (Position + 1 < tokens.Count && tokens[Position + 1].Equals("of", StringComparison.OrdinalIgnoreCase))
            {
                Position += 2;
                return Quantified(token, Peek ?? throw new SigmaRuleError($"'{token} of' names no selections"));
            }

            if (token is ")" || token.ToLowerInvariant() is "and" or "or" or "of")
            {
                throw new SigmaRuleError($"the condition has '{token}' where a selection should be");
            }

            Position++;
            return selections.TryGetValue(token, out var selection)
                ? selection
                : throw new SigmaRuleError($"the condition names '{token}', which is not a selection of the rule ({string.Join(", ", selections.Keys)})");
        }

        private Func<SigmaRecord, bool> Quantified(string quantity, string pattern)
        {
            Position++;
            var chosen = (pattern.Equals("them", StringComparison.OrdinalIgnoreCase)
                    ? selections.Where(s => !s.Key.StartsWith('_'))
                    : selections.Where(s => Glob(pattern).IsMatch(s.Key)))
                .Select(s => s.Value).ToArray();
            if (chosen.Length == 0)
            {
                throw new SigmaRuleError($"'{quantity} of {pattern}' matches no selection of the rule");
            }

            if (quantity.Equals("all", StringComparison.OrdinalIgnoreCase))
            {
                return r => chosen.All(s => s(r));
            }

            var least = quantity.Equals("any", StringComparison.OrdinalIgnoreCase) ? 1
                : int.TryParse(quantity, out var n) && n >= 1 ? n
                : throw new SigmaRuleError($"'{quantity} of' is not a quantity (1, any, all or a number)");
            return least == 1 ? r => chosen.Any(s => s(r)) : r => chosen.Count(s => s(r)) >= least;
        }

        private static Regex Glob(string pattern) =>
            new($"^{Regex.Escape(pattern).Replace(@"\*", ".*", StringComparison.Ordinal)}$", RegexOptions.CultureInvariant);
    }
}
