namespace Gatehouse.Contracts;

public enum CommandPatternKind
{
    /// <summary>Shell-style: <c>*</c> any run of characters, <c>?</c> one character; matched against the whole command line.</summary>
    Glob,

    /// <summary>A .NET regular expression, matched anywhere in the command line unless anchored.</summary>
    Regex,
}
