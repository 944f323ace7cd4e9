namespace Gatehouse.Contracts;

/// <remarks>Stored and sent by name; new members go at the end so a number written by an older client still reads.</remarks>
public enum CommandPatternKind
{
    /// <summary>Shell-style: <c>*</c> any run of characters, <c>?</c> one character; matched against the whole command line.</summary>
    Glob,

    /// <summary>A .NET regular expression, matched anywhere in the command line unless anchored.</summary>
    Regex,

    /// <summary>
    /// A program and what it must be given, in any order and spelling (<c>rm -r -f</c>, <c>chmod u+s</c>,
    /// <c>rm -r /etc</c>), matched against each simple command the line starts as the shell reader normalised it.
    /// </summary>
    Command,
}
