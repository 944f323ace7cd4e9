namespace Gatehouse.SessionBroker.Commands;

/// <summary>
/// A line the user submitted in an interactive shell, as reconstructed from their keystrokes.
/// <see cref="Uncertain"/> means they used something whose effect only the shell knows (tab completion,
/// history recall, reverse search), so the text may differ from what the shell runs.
/// </summary>
public sealed record TypedLine(string Text, bool Uncertain);
