using System.Threading.Channels;

namespace Gatehouse.SessionBroker.Sessions.WatchingSession;

/// <summary>
/// One watcher's copy of a session's output, taken from the relay's pump as the user gets it. The pump never waits
/// for the watcher: frames queue up to <see cref="Bound"/> bytes, and a watcher further behind than that is dropped
/// (its stream ends saying so) rather than slowing the session or holding its output in memory.
/// </summary>
public sealed class SessionWatcher : IDisposable
{
    /// <summary>How much output may wait for a slow watcher: a few screens of a busy session, nothing a page needs more of.</summary>
    public const int Bound = 1024 * 1024;

    private readonly Channel<byte[]> _frames = Channel.CreateUnbounded<byte[]>(new UnboundedChannelOptions { SingleReader = true });
    private readonly IDisposable _watch;
    private long _queued;
    private int _fellBehind;

    public SessionWatcher(SessionRelay relay) => _watch = relay.Watch(Frame);

    /// <summary>True once the watcher was dropped for falling behind; what it read until then is all it gets.</summary>
    public bool FellBehind => Volatile.Read(ref _fellBehind) == 1;

    /// <summary>Runs on the relay's pump: copies the frame (the pump reuses its memory) or drops the watcher; never blocks.</summary>
    private void Frame(ReadOnlyMemory<byte> data)
    {
        if (FellBehind)
        {
            return;
        }

        if (Interlocked.Add(ref _queued, data.Length) > Bound)
        {
            Volatile.Write(ref _fellBehind, 1);
            _frames.Writer.TryComplete();
            return;
        }

        _frames.Writer.TryWrite(data.ToArray());
    }

    /// <summary>
    /// Waits up to <paramref name="wait"/> for output, then takes what is queued, up to about <paramref name="most"/>
    /// bytes: empty when nothing came, null when the watcher was dropped.
    /// </summary>
    public async Task<byte[]?> NextAsync(int most, TimeSpan wait, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(wait);
        try
        {
            if (!await _frames.Reader.WaitToReadAsync(timeout.Token))
            {
                return null;
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return [];
        }

        return Take(most);
    }

    /// <summary>What is queued now (after the session ended: the last output before its end), up to about <paramref name="most"/> bytes.</summary>
    public byte[] Take(int most)
    {
        using var taken = new MemoryStream();
        while (taken.Length < most && _frames.Reader.TryRead(out var frame))
        {
            Interlocked.Add(ref _queued, -frame.Length);
            taken.Write(frame);
        }

        return taken.ToArray();
    }

    public void Dispose()
    {
        _watch.Dispose();
        _frames.Writer.TryComplete();
    }
}
