namespace Gatehouse.SessionBroker.Commands;

/// <summary>
/// Counts the target's output as it arrives and wakes whoever waits for some: the command gate waits for a typed line's
/// echo, or for the target's answer to an Enter, without polling. It also follows a shell that announces the lines it
/// reads (readline turns bracketed paste on as it starts reading a line and off as it takes one, as bash does at every
/// prompt): a new line announced after the shell took an Enter is the surest sign that the command of that Enter ended.
/// </summary>
public sealed class TargetOutput
{
    // Then 'h' (a new line is read) or 'l' (the line was taken).
    private static readonly byte[] BracketedPaste = "\x1b[?2004"u8.ToArray();

    private long _count;
    private long _prompts;
    private long _linesTaken;
    private long _linesAnswered;
    private long? _answerWithTheNextPiece;
    private int _matched;
    private TaskCompletionSource _next = NewSignal();

    /// <summary>How many pieces of output arrived so far: a mark to wait beyond.</summary>
    public long Count => Interlocked.Read(ref _count);

    /// <summary>How many times the shell announced it reads a new line; 0 for a shell that never does.</summary>
    public long Prompts => Interlocked.Read(ref _prompts);

    /// <summary>How many lines the shell said it took (an Enter): a mark for <see cref="NewLineSinceAsync"/>.</summary>
    public long LinesTaken => Interlocked.Read(ref _linesTaken);

    /// <summary>Called by the pump from the target for every piece of output, in order (one thread).</summary>
    public void Arrived(ReadOnlySpan<byte> data)
    {
        // Counted before the announcements in it: a gate that sees a new line announced and then takes the count as the mark
        // for the next line's echo must not take this piece (the prompt) for that echo.
        Interlocked.Increment(ref _count);
        if (_answerWithTheNextPiece is { } answered)
        {
            Interlocked.Exchange(ref _linesAnswered, answered);
            _answerWithTheNextPiece = null;
        }

        for (var i = 0; i < data.Length; i++)
        {
            var b = data[i];
            // The announcement may be split across pieces; its bytes differ from one another but for its first.
            if (_matched == BracketedPaste.Length)
            {
                if (b == (byte)'h')
                {
                    Interlocked.Increment(ref _prompts);
                    // bash writes the prompt itself next, apart: a gate woken now would take it for the echo of keys it
                    // sends. An announcement that ends its piece counts with the piece after it.
                    if (i == data.Length - 1)
                    {
                        _answerWithTheNextPiece = Interlocked.Read(ref _linesTaken);
                    }
                    else
                    {
                        Interlocked.Exchange(ref _linesAnswered, Interlocked.Read(ref _linesTaken));
                    }
                }
                else if (b == (byte)'l')
                {
                    Interlocked.Increment(ref _linesTaken);
                }

                _matched = b == BracketedPaste[0] ? 1 : 0;
                continue;
            }

            _matched = b == BracketedPaste[_matched] ? _matched + 1 : b == BracketedPaste[0] ? 1 : 0;
        }

        // All counted before the signal is swapped: a waiter that read the old signal and then an old count is woken by it.
        Interlocked.Exchange(ref _next, NewSignal()).TrySetResult();
    }

    /// <summary>Whether output arrived after <paramref name="mark"/> (a <see cref="Count"/>), waiting at most <paramref name="wait"/>.</summary>
    public Task<bool> SinceAsync(long mark, TimeSpan wait, TimeProvider clock) => WaitAsync(() => Count > mark, wait, clock);

    /// <summary>
    /// Whether the shell took a line after <paramref name="mark"/> (a <see cref="LinesTaken"/>) and then announced a new one,
    /// waiting at most <paramref name="wait"/>. A prompt drawn before the shell took that line (late, on a loaded target)
    /// does not count: keys sent on it would reach the terminal while the command runs.
    /// </summary>
    public Task<bool> NewLineSinceAsync(long mark, TimeSpan wait, TimeProvider clock) =>
        WaitAsync(() => Interlocked.Read(ref _linesAnswered) > mark, wait, clock);

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
