using System.Globalization;

namespace Gatehouse.Shell;

/// <summary>
/// Bash's brace expansion, done first and on unquoted braces only: <c>{rm,-rf,x}</c> is the three words
/// <c>rm -rf x</c>, <c>a{1..3}</c> is <c>a1 a2 a3</c>. A brace with neither a comma nor a sequence stays as typed.
/// </summary>
internal static class BraceExpansion
{
    private const int MaxWords = 4096;

    public static IEnumerable<ShellWord> Expand(RawWord word, ReadingOutput output)
    {
        if (!word.Pieces.Any(p => p is { Kind: PieceKind.Plain, Char: '{' }))
        {
            return [word.ToWord()];
        }

        var results = new List<List<Piece>>();
        if (!ExpandInto(word.Pieces, results))
        {
            output.Unknown($"the brace expansion in {word.Typed} makes more than {MaxWords} words");
            return [word.ToWord()];
        }

        return results.Count == 1 ? [word.ToWord()] : results.Where(r => r.Count > 0).Select(r => Words.From(r));
    }

    private static bool ExpandInto(List<Piece> pieces, List<List<Piece>> results)
    {
        for (var open = 0; open < pieces.Count; open++)
        {
            if (pieces[open] is not { Kind: PieceKind.Plain, Char: '{' })
            {
                continue;
            }

            var (close, commas) = FindClose(pieces, open);
            if (close < 0)
            {
                break;
            }

            var prefix = pieces[..open];
            var suffix = pieces[(close + 1)..];
            List<List<Piece>> alternatives;
            if (commas.Count > 0)
            {
                alternatives = [];
                var from = open + 1;
                foreach (var comma in commas.Append(close))
                {
                    alternatives.Add(pieces[from..comma]);
                    from = comma + 1;
                }
            }
            else if (Sequence(pieces[(open + 1)..close]) is { } sequence)
            {
                alternatives = sequence.Select(s => s.Select(Piece.Quoted).ToList()).ToList();
            }
            else
            {
                continue;
            }

            foreach (var alternative in alternatives)
            {
                if (!ExpandInto([.. prefix, .. alternative, .. suffix], results) || results.Count > MaxWords)
                {
                    return false;
                }
            }

            return true;
        }

        results.Add(pieces);
        return results.Count <= MaxWords;
    }

    private static (int Close, List<int> Commas) FindClose(List<Piece> pieces, int open)
    {
        var depth = 0;
        var commas = new List<int>();
        for (var i = open; i < pieces.Count; i++)
        {
            if (pieces[i].Kind != PieceKind.Plain)
            {
                continue;
            }

            switch (pieces[i].Char)
            {
                case '{':
                    depth++;
                    break;
                case '}' when --depth == 0:
                    return (i, commas);
                case ',' when depth == 1:
                    commas.Add(i);
                    break;
            }
        }

        return (-1, commas);
    }

    /// <summary><c>{1..5}</c>, <c>{01..10..2}</c>, <c>{a..e}</c>: the words, or null when the text is not a sequence.</summary>
    private static List<string>? Sequence(List<Piece> inner)
    {
        if (inner.Any(p => p.Kind != PieceKind.Plain))
        {
            return null;
        }

        var parts = string.Concat(inner.Select(p => p.Char)).Split("..");
        if (parts.Length is < 2 or > 3)
        {
            return null;
        }

        var step = 1L;
        if (parts.Length == 3 && !long.TryParse(parts[2], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out step))
        {
            return null;
        }

        step = Math.Max(1, Math.Abs(step));
        if (long.TryParse(parts[0], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var from)
            && long.TryParse(parts[1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var to))
        {
            if (Math.Abs(to - from) / step > MaxWords)
            {
                return Enumerable.Repeat("", MaxWords + 1).ToList();
            }

            var width = parts[0].TrimStart('-').StartsWith('0') || parts[1].TrimStart('-').StartsWith('0')
                ? Math.Max(parts[0].Length, parts[1].Length)
                : 0;
            var numbers = new List<string>();
            for (var n = from; from <= to ? n <= to : n >= to; n += from <= to ? step : -step)
            {
                numbers.Add(n.ToString(CultureInfo.InvariantCulture).PadLeft(width, '0'));
            }

            return numbers;
        }

        if (parts[0].Length == 1 && parts[1].Length == 1 && char.IsAsciiLetter(parts[0][0]) && char.IsAsciiLetter(parts[1][0]))
        {
            var (a, b) = (parts[0][0], parts[1][0]);
            var letters = new List<string>();
            for (var c = (int)a; a <= b ? c <= b : c >= b; c += a <= b ? (int)step : -(int)step)
            {
                letters.Add(((char)c).ToString());
            }

            return letters;
        }

        return null;
    }
}
