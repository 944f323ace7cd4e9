namespace Gatehouse.Contracts;

/// <summary>
/// One simple command a line would start, as the gateway's shell reader normalised it: the program's file name
/// (<c>/bin/rm</c> is <c>rm</c>) and its arguments after quote removal and brace expansion; a word only known when it
/// runs is as typed. Nested commands (in a substitution, run by <c>sudo</c>, a script given to <c>sh -c</c>) are listed
/// in run order.
/// </summary>
public sealed record ShellCommand(string Program, IReadOnlyList<string> Arguments);
