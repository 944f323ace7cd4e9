using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using Gatehouse.Contracts;
using Gatehouse.SessionBroker.Commands;
using Gatehouse.SessionBroker.Recording;
using Gatehouse.SessionBroker.Sessions;
using Gatehouse.SessionBroker.Tests.Commands;
using Microsoft.Extensions.Time.Testing;

namespace Gatehouse.SessionBroker.Tests.Sessions;

public sealed class When_a_session_relays_bytes : IAsyncDisposable
{
    private readonly UserSide _user = new();
    private readonly TargetSide _target = new();
    private readonly SessionEnding _ending = new();
    private readonly TargetOutput _output = new();
    private readonly AsciicastRecorder _recorder = new(new MemoryStream(), TimeProvider.System, 80, 24, "test", null);
    private readonly SessionRelay _relay;

    public When_a_session_relays_bytes()
    {
        var limits = new SessionLimits(DateTimeOffset.UtcNow, TimeSpan.FromMinutes(15), TimeSpan.FromHours(1), TimeProvider.System);
        var gate = new CommandGate(new CommandPolicyCheck([]), readsInput: false, onTerminal: false, auditsTransfer: false, null!, _output,
            TimeProvider.System);
        _relay = new SessionRelay(_user, _user.WriteErrorAsync, _ending, limits, _output, _recorder, recordInput: false, gate, transfer: null);
    }

    [Fact]
    public async Task Should_pass_the_users_input_on_and_end_the_targets_input_when_the_users_ends()
    {
        var pumping = _relay.PumpFromClientAsync(_target);

        await _user.TypeAsync("hello");
        await _user.EndInputAsync();
        await pumping.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(("hello", true, 5L), (_target.Received, _target.Ended, _relay.BytesFromClient));
    }

    [Fact]
    public async Task Should_reopen_the_targets_window_only_once_the_user_took_its_output()
    {
        var target = new TargetQueue();
        _user.HoldWrites();

        var relaying = _relay.PumpFromTargetAsync(target);
        target.Send("output");
        await Task.Delay(200);
        Assert.Equal(0, target.TakenSoFar);

        _user.ReleaseWrites();
        await Until(() => target.TakenSoFar == 6);
        target.End();
        await relaying.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(("output", 6L, 1L), (_user.Seen, _relay.BytesToClient, _output.Count));
    }

    [Fact]
    public async Task Should_let_the_gate_hear_of_output_only_once_it_is_in_the_recording()
    {
        var recording = new HeldRecording();
        var recorder = new AsciicastRecorder(recording, TimeProvider.System, 80, 24, "test", null);
        var output = new TargetOutput();
        var limits = new SessionLimits(DateTimeOffset.UtcNow, TimeSpan.FromMinutes(15), TimeSpan.FromHours(1), TimeProvider.System);
        var gate = new CommandGate(new CommandPolicyCheck([]), readsInput: false, onTerminal: false, auditsTransfer: false, null!, output,
            TimeProvider.System);
        var relay = new SessionRelay(_user, _user.WriteErrorAsync, _ending, limits, output, recorder, recordInput: false, gate, transfer: null);
        var target = new TargetQueue();

        var relaying = relay.PumpFromTargetAsync(target);
        target.Send("sudo -i");
        Assert.False(await output.SinceAsync(0, TimeSpan.FromMilliseconds(300), TimeProvider.System));

        recording.Release();
        Assert.True(await output.SinceAsync(0, TimeSpan.FromSeconds(10), TimeProvider.System));
        Assert.Contains("sudo -i", Encoding.UTF8.GetString(recording.ToArray()));
        target.End();
        await relaying.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Should_write_the_targets_stderr_to_the_users_stderr_in_the_order_sent()
    {
        var target = new TargetQueue();
        target.Send("out 1 ");
        target.Send("err 1 ", stderr: true);
        target.Send("out 2");
        target.End();

        await _relay.PumpFromTargetAsync(target).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(["out:out 1 ", "err:err 1 ", "out:out 2"], _user.Writes);
        Assert.Equal(17, target.TakenSoFar);
    }

    [Fact]
    public async Task Should_show_the_output_to_a_watcher_as_the_user_gets_it_until_it_stops_watching()
    {
        var frames = new List<string>();
        var watch = _relay.Watch(frame => frames.Add(Encoding.UTF8.GetString(frame.Span)));

        await TargetQueue.RelayAsync(_relay, "one");
        watch.Dispose();
        await TargetQueue.RelayAsync(_relay, "two");

        Assert.Equal(["one"], frames);
        Assert.Equal("onetwo", _user.Seen);
    }

    [Fact]
    public async Task Should_end_the_session_when_the_user_is_gone()
    {
        _user.Gone();

        await TargetQueue.RelayAsync(_relay, "late");

        Assert.Equal(SessionEndReason.ClientClosed, _ending.Reason);
    }

    [Fact]
    public async Task Should_end_the_session_and_say_why_when_the_target_broke_its_window()
    {
        var target = new TargetQueue();
        target.End(new InvalidDataException("the target sent more than the window"));

        await _relay.PumpFromTargetAsync(target).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(SessionEndReason.Error, _ending.Reason);
        Assert.Contains("the target sent more than the window", _ending.Message);
    }

    [Fact]
    public async Task Should_not_let_the_session_go_idle_while_the_gate_holds_a_line()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var idle = TimeSpan.FromMinutes(15);
        var limits = new SessionLimits(clock.GetUtcNow(), idle, TimeSpan.FromHours(12), clock);
        var record = new CommandsKept();
        // The target echoes nothing yet: the gate holds the line's Enter, waiting for the echo far longer than the idle limit.
        var gate = new CommandGate(record.Policies!, readsInput: true, onTerminal: true, auditsTransfer: false, record, _output, clock,
            echoWait: TimeSpan.FromHours(1));
        var relay = new SessionRelay(_user, _user.WriteErrorAsync, _ending, limits, _output, _recorder, recordInput: false, gate, transfer: null);
        var watching = limits.WatchAsync("web01", _ending);
        var pumping = relay.PumpFromClientAsync(_target);
        await _user.TypeAsync("ls\r");
        await Until(() => _target.Received == "ls");

        clock.Advance(idle + TimeSpan.FromMinutes(5));
        await Task.Delay(SessionLimits.WatchInterval * 2);
        Assert.False(_ending.HasEnded);

        _output.Arrived("ls"u8);
        await Until(() => _target.Received == "ls\r");
        // Passing the line on is activity: the idle limit counts from here.
        await Until(() => limits.LastActivity == clock.GetUtcNow());
        await _user.EndInputAsync();
        await pumping.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.False(_ending.HasEnded);
        _ending.End(SessionEndReason.ClientClosed, null);
        await watching.WaitAsync(TimeSpan.FromSeconds(10));
    }

    private static async Task Until(Func<bool> done)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (!done())
        {
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(10), "not reached in 10 s");
            await Task.Delay(5);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _recorder.DisposeAsync();
        _ending.Dispose();
    }

    /// <summary>The user's session channel: the test types into it, and sees what the relay writes (when it lets the write finish).</summary>
    private sealed class UserSide : Stream
    {
        private readonly Pipe _typed = new();
        private readonly MemoryStream _seen = new();
        private readonly List<string> _writes = [];
        private TaskCompletionSource _writable = Done();
        private bool _gone;

        public string Seen
        {
            get
            {
                lock (_seen)
                {
                    return Encoding.UTF8.GetString(_seen.ToArray());
                }
            }
        }

        /// <summary>Every write, to stdout ("out:") or stderr ("err:"), in order.</summary>
        public List<string> Writes
        {
            get
            {
                lock (_seen)
                {
                    return [.. _writes];
                }
            }
        }

        public async Task TypeAsync(string text) => await _typed.Writer.WriteAsync(Encoding.UTF8.GetBytes(text));

        public async Task EndInputAsync() => await _typed.Writer.CompleteAsync();

        public void HoldWrites() => _writable = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        public void ReleaseWrites() => _writable.TrySetResult();

        public void Gone() => _gone = true;

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var result = await _typed.Reader.ReadAsync(cancellationToken);
            if (result.Buffer.IsEmpty && result.IsCompleted)
            {
                return 0;
            }

            var taken = (int)Math.Min(buffer.Length, result.Buffer.Length);
            result.Buffer.Slice(0, taken).CopyTo(buffer.Span);
            _typed.Reader.AdvanceTo(result.Buffer.GetPosition(taken));
            return taken;
        }

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (_gone)
            {
                throw new IOException("the channel is closed");
            }

            await _writable.Task.WaitAsync(cancellationToken);
            lock (_seen)
            {
                _seen.Write(buffer.Span);
                _writes.Add("out:" + Encoding.UTF8.GetString(buffer.Span));
            }
        }

        public ValueTask WriteErrorAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken)
        {
            lock (_seen)
            {
                _writes.Add("err:" + Encoding.UTF8.GetString(buffer.Span));
            }

            return ValueTask.CompletedTask;
        }

        private static TaskCompletionSource Done()
        {
            var done = new TaskCompletionSource();
            done.SetResult();
            return done;
        }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    /// <summary>A recording file whose writes wait until released (its header, written at once, does not).</summary>
    private sealed class HeldRecording : MemoryStream
    {
        private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Release() => _released.TrySetResult();

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            await _released.Task;
            await base.WriteAsync(buffer, cancellationToken);
        }
    }

    private sealed class TargetSide : ITargetInput
    {
        private readonly StringBuilder _received = new();

        public string Received => _received.ToString();

        public bool Ended { get; private set; }

        public void Send(ReadOnlyMemory<byte> data) => _received.Append(Encoding.UTF8.GetString(data.Span));

        public void SendEof() => Ended = true;
    }
}
