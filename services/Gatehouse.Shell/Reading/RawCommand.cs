namespace Gatehouse.Shell;

internal enum StdinKind
{
    /// <summary>The user's terminal: what a shell reads from it passes through the gateway line by line.</summary>
    Terminal,

    /// <summary>Text the gateway knows (a here-string, a quoted here-document, literal echo output).</summary>
    Text,

    /// <summary>The output of the previous command in a pipeline.</summary>
    Pipe,

    /// <summary>A file, a descriptor, or text only known when it runs.</summary>
    Unknown,
}

internal sealed record Stdin(StdinKind Kind, string? Content, RawCommand? Producer)
{
    public static readonly Stdin Terminal = new(StdinKind.Terminal, null, null);

    public static readonly Stdin Unknown = new(StdinKind.Unknown, null, null);

    public static Stdin Text(string text) => new(StdinKind.Text, text, null);

    public static Stdin Pipe(RawCommand? producer) => new(StdinKind.Pipe, null, producer);

    /// <summary>The text a command reads, when the gateway knows it.</summary>
    public string? KnownText => Kind switch
    {
        StdinKind.Text => Content,
        StdinKind.Pipe => Producer?.LiteralOutput,
        _ => null,
    };
}

/// <summary>A simple command as read, before wrappers and nested scripts are resolved.</summary>
internal sealed class RawCommand(string context, Stdin stdin)
{
    public string Context { get; } = context;

    public Stdin Stdin { get; set; } = stdin;

    public List<ShellWord> Words { get; } = [];

    /// <summary>The variables assigned before the program (their names).</summary>
    public List<string> Assignments { get; } = [];

    /// <summary>The assignments as words (<c>NAME=value</c>), for the record.</summary>
    public List<ShellWord> AssignmentWords { get; } = [];

    public List<ShellRedirection> Redirections { get; } = [];

    /// <summary>What the command writes to its output when the gateway can tell (literal echo, printf, cat of known text).</summary>
    public string? LiteralOutput { get; set; }
}
