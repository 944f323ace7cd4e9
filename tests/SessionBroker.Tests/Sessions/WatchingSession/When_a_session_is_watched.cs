using System.Diagnostics;
using System.Text;
using Gatehouse.SessionBroker.Commands;
using Gatehouse.SessionBroker.Recording;
using Gatehouse.SessionBroker.Sessions;
using Gatehouse.SessionBroker.Sessions.WatchingSession;

namespace Gatehouse.SessionBroker.Tests.Sessions.WatchingSession;

public sealed class When_a_session_is_watched : IAsyncDisposable
{
    private readonly MemoryStream _user = new();
    private readonly SessionEnding _ending = new();
    private readonly AsciicastRecorder _recorder = new(new MemoryStream(), TimeProvider.System, 80, 24, "test", null);
    private readonly SessionRelay _relay;

    public When_a_session_is_watched()
    {
        var output = new TargetOutput();
        var limits = new SessionLimits(DateTimeOffset.UtcNow, TimeSpan.FromMinutes(15), TimeSpan.FromHours(1), TimeProvider.System);
        var gate = new CommandGate(new CommandPolicyCheck([]), readsInput: false, onTerminal: false, auditsTransfer: false, null!, output,
            TimeProvider.System);
        _relay = new SessionRelay(_user, (_, _) => ValueTask.CompletedTask, _ending, limits, output, _recorder, recordInput: false, gate, transfer: null);
    }

    [Fact]
    public async Task Should_get_the_output_the_user_gets_from_the_relay_itself()
    {
        using var watcher = new SessionWatcher(_relay);

        await TargetQueue.RelayAsync(_relay, "one ", "two");

        var seen = await watcher.NextAsync(1024, TimeSpan.FromSeconds(10), CancellationToken.None);
        Assert.Equal("one two", Encoding.UTF8.GetString(seen!));
        Assert.Equal("one two", Encoding.UTF8.GetString(_user.ToArray()));
    }

    [Fact]
    public async Task Should_say_nothing_came_when_the_session_is_quiet()
    {
        using var watcher = new SessionWatcher(_relay);

        var seen = await watcher.NextAsync(1024, TimeSpan.FromMilliseconds(50), CancellationToken.None);

        Assert.Empty(seen!);
    }

    [Fact]
    public async Task Should_drop_a_watcher_that_falls_behind_without_slowing_the_session()
    {
        using var watcher = new SessionWatcher(_relay);
        var frame = new byte[64 * 1024];
        var frames = SessionWatcher.Bound / frame.Length * 2;

        // Nobody reads the watcher while the target writes twice its bound: the session goes on at its own pace.
        var clock = Stopwatch.StartNew();
        var target = new TargetQueue();
        for (var i = 0; i < frames; i++)
        {
            target.Send(frame);
        }

        target.End();
        await _relay.PumpFromTargetAsync(target).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"the relay took {clock.Elapsed}");
        Assert.Equal(frames * frame.Length, _user.Length);
        Assert.True(watcher.FellBehind);

        // What was queued before the drop is still read (no more than the bound), then the watcher hears it was dropped.
        long read = 0;
        while (await watcher.NextAsync(frame.Length, TimeSpan.FromSeconds(10), CancellationToken.None) is { } taken)
        {
            read += taken.Length;
        }

        Assert.InRange(read, 1, SessionWatcher.Bound);
    }

    [Fact]
    public async Task Should_stop_copying_once_the_watcher_leaves()
    {
        var watcher = new SessionWatcher(_relay);
        watcher.Dispose();

        await TargetQueue.RelayAsync(_relay, "after");

        Assert.Null(await watcher.NextAsync(1024, TimeSpan.FromSeconds(1), CancellationToken.None));
        Assert.Equal("after", Encoding.UTF8.GetString(_user.ToArray()));
    }

    public async ValueTask DisposeAsync()
    {
        await _recorder.DisposeAsync();
        _ending.Dispose();
    }
}
