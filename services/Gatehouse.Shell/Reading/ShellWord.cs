namespace Gatehouse.Shell;

/// <summary>
/// One word of a command after brace expansion and quote removal. <see cref="Value"/> is what the program receives
/// when the word is fully literal; null when it depends on something only the target knows (a parameter, a command
/// substitution, a glob, the home directory), in which case <see cref="Typed"/> is all the gateway has.
/// </summary>
/// <param name="MayStartWithDash">Whether the unknown value could begin with '-' and so be read as an option.</param>
public sealed record ShellWord(string Typed, string? Value, bool MayStartWithDash)
{
    public bool IsKnown => Value is not null;

    /// <summary>Why the value is not known, for the user ("a glob", "an expansion").</summary>
    internal string? UnknownBecause { get; init; }

    public static ShellWord Literal(string value) => new(value, value, value.StartsWith('-'));

    /// <summary>The value when known, otherwise the word as typed: what a text pattern and a reader of the record see.</summary>
    public override string ToString() => Value ?? Typed;
}
