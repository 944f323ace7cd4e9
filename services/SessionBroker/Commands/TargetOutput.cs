namespace Gatehouse.SessionBroker.Commands;

/// <summary>
/// Counts the target's output as it arrives and wakes whoever waits for some: the command gate waits for a typed line's
/// echo, or for the target's answer to an Enter, without polling.
/// </summary>
public sealed class TargetOutput
{
    private long _count;
    private TaskCompletionSource _next = NewSignal();

    /// <summary>How many pieces of output arrived so far: a mark to wait beyond.</summary>
    public long Count => Interlocked.Read(ref _count);

    /// <summary>Called by the pump from the target for every piece of output.</summary>
    public void Arrived()
    {
        // Counted before the signal is swapped: a waiter that read the old signal and then an old count is woken by it.
        Interlocked.Increment(ref _count);
        Interlocked.Exchange(ref _next, NewSignal()).TrySetResult();
    }

    /// <summary>Whether output arrived after <paramref name="mark"/> (a <see cref="Count"/>), waiting at most <paramref name="wait"/>.</summary>
    public async Task<bool> SinceAsync(long mark, TimeSpan wait, TimeProvider clock)
    {
        var started = clock.GetTimestamp();
        while (true)
        {
            var next = Volatile.Read(ref _next);
            if (Count > mark)
            {
                return true;
            }

            var left = wait - clock.GetElapsedTime(started);
            if (left <= TimeSpan.Zero)
            {
                return false;
            }

            try
            {
                await next.Task.WaitAsync(left, clock);
            }
            catch (TimeoutException)
            {
                return Count > mark;
            }
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
