namespace Gatehouse.SessionBroker.Commands;

/// <summary>What the gateway does with a run of keystrokes, in order: pass keys on, hold an Enter until its line is
/// checked, or cancel a line the gateway can no longer follow exactly.</summary>
public abstract record TypedStep;

/// <summary>Keys the tracker followed exactly: the target may have them as they are.</summary>
public sealed record KeysTyped(byte[] Bytes) : TypedStep;

/// <summary>The user pressed Enter on <see cref="Line"/>; <see cref="Enter"/> goes to the target only if the line may run.</summary>
public sealed record LineSubmitted(TypedLine Line, byte[] Enter) : TypedStep;

/// <summary>
/// The user typed <see cref="Key"/>, which the tracker does not follow exactly, into <see cref="Text"/>: the key was
/// not passed on and the line is to be cancelled on the target, so the target never holds a line the gateway cannot
/// read. Only when the tracker was asked to refuse what it cannot follow (a session under a command policy).
/// </summary>
public sealed record LineCancelled(string Text, string Key) : TypedStep
{
    /// <summary>The one line the user is shown.</summary>
    public string Message => $"gatehouse: the line was cancelled: {Key} is not followed by the gateway, which must know the exact line " +
                             "before it runs; type the line out (editing with backspace, Ctrl-U/W/K, Ctrl-A/E, arrows Left/Right, Home/End, Delete)";
}
