namespace Gatehouse.Contracts;

public enum CommandCapture
{
    /// <summary>The exact command of an exec request.</summary>
    Exec,

    /// <summary>Reconstructed from what the user typed in an interactive shell.</summary>
    InteractiveLine,
}
