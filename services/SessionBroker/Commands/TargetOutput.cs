namespace Gatehouse.SessionBroker.Commands;

/// <summary>
/// Counts the target's output as it arrives and wakes whoever waits for some: the command gate waits for a typed line's
/// echo, or for the target's answer to an Enter, without polling. It also counts the times a shell announced it reads a
/// new line (readline turning bracketed paste on, as bash does at every prompt): the surest sign that a command ended.
/// </summary>
public sealed class TargetOutput
{
    private static readonly byte[] ReadingALine = "\x1b[?2004h"u8.ToArray();

    private long _count;
    private long _prompts;
    private int _matched;
    private TaskCompletionSource _next = NewSignal();

    /// <summary>How many pieces of output arrived so far: a mark to wait beyond.</summary>
    public long Count => Interlocked.Read(ref _count);

    /// <summary>How many times the shell announced it reads a new line; 0 for a shell that never does.</summary>
    public long Prompts => Interlocked.Read(ref _prompts);

    /// <summary>Called by the pump from the target for every piece of output, in order (one thread).</summary>
    public void Arrived(ReadOnlySpan<byte> data)
    {
        foreach (var b in data)
        {
            // The announcement may be split across pieces; its bytes differ from one another but for its first.
            _matched = b == ReadingALine[_matched] ? _matched + 1 : b == ReadingALine[0] ? 1 : 0;
            if (_matched == ReadingALine.Length)
            {
                Interlocked.Increment(ref _prompts);
                _matched = 0;
            }
        }

        // Counted before the signal is swapped: a waiter that read the old signal and then an old count is woken by it.
        Interlocked.Increment(ref _count);
        Interlocked.Exchange(ref _next, NewSignal()).TrySetResult();
    }

    /// <summary>Whether output arrived after <paramref name="mark"/> (a <see cref="Count"/>), waiting at most <paramref name="wait"/>.</summary>
    public Task<bool> SinceAsync(long mark, TimeSpan wait, TimeProvider clock) => WaitAsync(() => Count > mark, wait, clock);

    /// <summary>Whether the shell announced a new line after <paramref name="mark"/> (a <see cref="Prompts"/>), waiting at most <paramref name="wait"/>.</summary>
    public Task<bool> PromptSinceAsync(long mark, TimeSpan wait, TimeProvider clock) => WaitAsync(() => Prompts > mark, wait, clock);

    private async Task<bool> WaitAsync(Func<bool> arrived, TimeSpan wait, TimeProvider clock)
    {
        var started = clock.GetTimestamp();
        while (true)
        {
            var next = Volatile.Read(ref _next);
            if (arrived())
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
                return arrived();
            }
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
