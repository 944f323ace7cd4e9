namespace Gatehouse.SessionBroker.Targets;

/// <summary>
/// The SSH window a tunnel gives the target (RFC 4254 §5.2): the target may send <see cref="Size"/> bytes that the
/// client has not taken yet, and no more. The window reopens only as the client takes bytes, so a client that stops
/// reading stops its own tunnel at the target, and what waits in the gateway is at most <see cref="Size"/>.
/// <see cref="Received"/> runs on SSH.NET's receive thread, <see cref="Taken"/> on the relay's: one writer each.
/// </summary>
public sealed class TunnelWindow(uint size)
{
    private long _open = size;
    private long _takenNotGranted;

    public uint Size => size;

    /// <summary>
    /// Taken bytes are granted back in one message once they reach this (an eighth of the window, as OpenSSH waits for a
    /// few packets' worth): the target keeps most of its window while the client keeps up, at one small message per 256 KiB.
    /// </summary>
    public uint GrantThreshold => Math.Max(1, size / 8);

    /// <summary>What the gateway holds of the target's data that the client has not taken.</summary>
    public long Buffered => size - Interlocked.Read(ref _open) - Interlocked.Read(ref _takenNotGranted);

    /// <summary>
    /// The target sent <paramref name="count"/> bytes; false, and nothing counted, when that is more than its window allowed
    /// (a protocol violation).
    /// </summary>
    public bool Received(int count)
    {
        if (count < 0)
        {
            return false;
        }

        if (Interlocked.Add(ref _open, -count) >= 0)
        {
            return true;
        }

        Interlocked.Add(ref _open, count);
        return false;
    }

    /// <summary>The client took <paramref name="count"/> bytes; returns how many to grant the target now (0: wait for more).</summary>
    public uint Taken(int count)
    {
        var taken = Interlocked.Add(ref _takenNotGranted, count);
        if (taken < GrantThreshold)
        {
            return 0;
        }

        // Open before the message goes out: the target may answer it at once, on the other thread.
        Interlocked.Add(ref _open, taken);
        Interlocked.Add(ref _takenNotGranted, -taken);
        return (uint)taken;
    }
}
