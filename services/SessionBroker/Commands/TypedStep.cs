namespace Gatehouse.SessionBroker.Commands;

/// <summary>What the gateway does with a run of keystrokes, in order: pass keys on, hold an Enter until its line is
/// checked, or cancel a line the gateway can no longer follow exactly.</summary>
public abstract record TypedStep;

/// <summary>Keys the tracker followed exactly: the target may have them as they are.</summary>
public sealed record KeysTyped(byte[] Bytes) : TypedStep;

/// <summary>
/// The user pressed Enter on <see cref="Line"/>; <see cref="Enter"/> goes to the target only if the line may run, and
/// <see cref="Cancel"/> instead when it may not.
/// </summary>
public sealed record LineSubmitted(TypedLine Line, byte[] Enter) : TypedStep
{
    /// <summary>What empties the line on the target when it is refused.</summary>
    public byte[] Cancel => TypedLineTracker.ClearLine;
}

/// <summary>
/// The user typed <see cref="Key"/>, which the tracker does not follow exactly, into <see cref="Text"/>: the key was
/// not passed on and the line is to be cancelled on the target, so the target never holds a line the gateway cannot
/// read. <see cref="Cancel"/> is what empties the line on the target. <see cref="DropsRestOfPaste"/>: the key came in a
/// paste, whose rest the gateway drops up to its end. Only when the tracker was asked to refuse what it cannot follow (a
/// session under a command policy).
/// </summary>
public sealed record LineCancelled(string Text, string Key, byte[] Cancel, bool DropsRestOfPaste = false) : TypedStep
{
    /// <summary>The one line the user is shown.</summary>
    public string Message => $"gatehouse: the line was cancelled: {Key} is not followed by the gateway, which must know the exact line " +
                             "before it runs; type the line out (editing with backspace, Ctrl-U/W/K, Ctrl-A/E, arrows Left/Right, Home/End, Delete)" +
                             (DropsRestOfPaste ? "; the rest of the paste is dropped up to its end (Ctrl-C stops waiting for it)" : "");
}
