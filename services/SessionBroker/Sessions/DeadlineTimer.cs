namespace Gatehouse.SessionBroker.Sessions;

/// <summary>
/// Calls back once the clock's wall time has reached a deadline, never before. A timer counts on the monotonic clock in
/// whole milliseconds while a deadline is a wall-clock time (a grant's expiry), so a timer alone fires up to a millisecond
/// or two early; when it does, it is armed again for what is left.
/// </summary>
public sealed class DeadlineTimer : IDisposable
{
    /// <summary>The longest a timer is armed for at once (a system timer takes at most about 49 days): longer waits re-arm.</summary>
    private static readonly TimeSpan LongestWait = TimeSpan.FromDays(1);

    private readonly DateTimeOffset _at;
    private readonly TimeProvider _clock;
    private readonly Action _reached;
    private readonly ITimer _timer;
    private readonly Lock _gate = new();
    private bool _done;

    /// <summary>Calls <paramref name="reached"/> once when <paramref name="clock"/> reads <paramref name="at"/> or later;
    /// at once (on this thread) when it already does.</summary>
    public DeadlineTimer(DateTimeOffset at, TimeProvider clock, Action reached)
    {
        (_at, _clock, _reached) = (at, clock, reached);
        _timer = clock.CreateTimer(_ => Check(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        Check();
    }

    /// <summary>How long to wait for <paramref name="at"/> from <paramref name="now"/>: in whole milliseconds rounded up,
    /// as a timer counts, so a wait is not cut short by the rounding; zero once it is reached.</summary>
    public static TimeSpan Wait(DateTimeOffset at, DateTimeOffset now)
    {
        var left = at - now;
        if (left <= TimeSpan.Zero)
        {
            return TimeSpan.Zero;
        }

        var wait = TimeSpan.FromMilliseconds(Math.Ceiling(left.TotalMilliseconds));
        return wait < LongestWait ? wait : LongestWait;
    }

    private void Check()
    {
        // Held while calling back, so that once Dispose returns no call is running or can come.
        lock (_gate)
        {
            if (_done)
            {
                return;
            }

            var wait = Wait(_at, _clock.GetUtcNow());
            if (wait > TimeSpan.Zero)
            {
                _timer.Change(wait, Timeout.InfiniteTimeSpan);
                return;
            }

            _done = true;
            _reached();
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _done = true;
        }

        _timer.Dispose();
    }
}
