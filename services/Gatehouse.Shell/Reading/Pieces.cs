using System.Text;

namespace Gatehouse.Shell;

internal enum PieceKind : byte
{
    /// <summary>An unquoted character: subject to brace expansion.</summary>
    Plain,

    /// <summary>A quoted or escaped character: taken as it is.</summary>
    Quoted,

    /// <summary>An unquoted <c>*</c>, <c>?</c>, bracket expression or extglob group: pathname expansion.</summary>
    Glob,

    /// <summary>A parameter, command, arithmetic or process substitution, or a tilde: known only when it runs.</summary>
    Expansion,
}

/// <summary>One character of a word, or one expansion (with its text as typed).</summary>
internal readonly record struct Piece(PieceKind Kind, char Char, string? Text = null, bool DashSafe = false)
{
    public static Piece Plain(char c) => new(PieceKind.Plain, c);

    public static Piece Quoted(char c) => new(PieceKind.Quoted, c);

    public string Typed => Text ?? Char.ToString();
}

/// <summary>A word as read, before brace expansion.</summary>
internal sealed record RawWord(List<Piece> Pieces, string Typed)
{
    public bool IsPlainLiteral(string text) =>
        Pieces.Count == text.Length && Pieces.Select((p, i) => p.Kind == PieceKind.Plain && p.Char == text[i]).All(x => x);

    public bool IsQuotedAnywhere => Pieces.Any(p => p.Kind == PieceKind.Quoted);

    /// <summary>The word's text with quoting removed, expansions kept as typed (a here-document delimiter is read so).</summary>
    public string Unquoted => string.Concat(Pieces.Select(p => p.Typed));

    /// <summary>The known value of a word that takes no brace expansion (an assignment's value, a redirection target).</summary>
    public ShellWord ToWord() => Words.From(Pieces, Typed);
}

internal static class Words
{
    public static ShellWord From(List<Piece> pieces, string? typed = null)
    {
        typed ??= string.Concat(pieces.Select(p => p.Kind == PieceKind.Quoted && p.Char is ' ' or '\t' ? "\\" + p.Char : p.Typed));
        if (pieces.All(p => p.Kind is PieceKind.Plain or PieceKind.Quoted))
        {
            var value = new StringBuilder(pieces.Count);
            foreach (var piece in pieces)
            {
                value.Append(piece.Char);
            }

            return ShellWord.Literal(value.ToString());
        }

        var first = pieces[0];
        var mayStartWithDash = first.Kind switch
        {
            PieceKind.Expansion => !first.DashSafe,
            PieceKind.Glob => true,
            _ => first.Char == '-',
        };
        var why = pieces.FirstOrDefault(p => p.Kind == PieceKind.Expansion) is { Text: not null } expansion
            ? $"the expansion {expansion.Text}"
            : "a glob";
        return new ShellWord(typed, null, mayStartWithDash) { UnknownBecause = why };
    }
}
