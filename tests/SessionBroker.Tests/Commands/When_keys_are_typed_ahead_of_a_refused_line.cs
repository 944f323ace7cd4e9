using System.Text;
using Gatehouse.Contracts;
using Gatehouse.Contracts.Authorization;
using Gatehouse.SessionBroker.Commands;
using Microsoft.Extensions.Time.Testing;

namespace Gatehouse.SessionBroker.Tests.Commands;

/// <summary>
/// Issue #16/#18: <c>stty -echo</c>, a refused line and <c>stty echo</c> typed at once. The target echoes neither the
/// refused line nor its emptying, so only the clock ends the wait for an echo of the refused line; what follows it must
/// not wait on the clock again. The clock here moves only when the test moves it: a wait on it hangs the test.
/// </summary>
public sealed class When_keys_are_typed_ahead_of_a_refused_line : IAsyncDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 12, 5, 3, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan EchoWait = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Step = TimeSpan.FromMilliseconds(50);
    private const string Refused = "python3 -c 'import os; os.remove(\"/tmp/victim\")'";
    private const string ClearLine = "\x05\x15";

    private readonly FakeTimeProvider _clock = new(Start);
    private readonly TargetOutput _output = new();
    private readonly FakeShell _shell;
    private readonly CommandsKept _record = new() { Policies = new CommandPolicyCheck([CommandsKept.NoRecursiveDelete]) };
    private readonly CommandGate _gate;

    public When_keys_are_typed_ahead_of_a_refused_line()
    {
        _shell = new FakeShell(_output);
        _gate = new CommandGate(_record.Policies!, readsInput: true, onTerminal: true, auditsTransfer: false, _record, _output, _clock, EchoWait);
    }

    [Fact]
    public async Task Should_pass_them_on_in_order_once_the_refusal_was_told_without_waiting_on_the_clock()
    {
        var typing = Type($"stty -echo\r{Refused}\rstty echo\r");

        await RefusedUnechoedAsync();

        await typing.WaitAsync(TimeSpan.FromSeconds(10));
        var expected = $"stty -echo\r{Refused}{ClearLine}stty echo\r";
        Assert.Equal(expected, await _shell.ReceivedAsync(expected));
        Assert.Equal(["stty -echo", CommandGate.NotEchoed], _record.Executed);
        Assert.Equal([CommandGate.NotEchoed], _record.Blocked);
        Assert.Contains("typed without echo was not passed on", Assert.Single(_record.Told));
    }

    [Fact]
    public async Task Should_hold_an_interrupt_typed_after_it_until_the_target_answered_or_the_echo_wait_ended()
    {
        var typing = Type($"stty -echo\r{Refused}\r\x03");
        await RefusedUnechoedAsync();
        var refusedAt = _clock.GetUtcNow();

        // Ctrl-C makes the terminal drop input the shell has not read yet, the emptying too: it waits.
        await Task.Delay(300);
        Assert.False(typing.IsCompleted);
        Assert.Equal($"stty -echo\r{Refused}{ClearLine}", await _shell.ReceivedAsync($"stty -echo\r{Refused}{ClearLine}"));

        await MoveTheClockUntilAsync(() => typing.IsCompleted);
        // Its wait may have begun one step of the clock before the refusal was seen.
        Assert.True(_clock.GetUtcNow() - refusedAt >= EchoWait - Step);
        Assert.Equal($"stty -echo\r{Refused}{ClearLine}\x03", await _shell.ReceivedAsync($"stty -echo\r{Refused}{ClearLine}\x03"));
    }

    [Fact]
    public async Task Should_wait_for_the_echo_again_once_the_target_wrote_something_after_the_refusal()
    {
        var refusing = Type($"stty -echo\r{Refused}\r");
        await RefusedUnechoedAsync();
        await refusing.WaitAsync(TimeSpan.FromSeconds(10));

        // A program or a new prompt spoke: the shell may echo again.
        _output.Arrived("job 1 done\r\n"u8);
        var typing = Type("ls\r");
        await Task.Delay(300);
        Assert.False(typing.IsCompleted);

        await MoveTheClockWhileAsync(typing);
        Assert.Equal(["stty -echo", CommandGate.NotEchoed], _record.Executed);
    }

    [Fact]
    public async Task Should_still_record_a_line_the_target_echoes_after_an_echoed_refusal()
    {
        var typing = Type("rm -rf /tmp/x\rls\r");

        await typing.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(["ls"], _record.Executed);
        Assert.Equal(["rm -rf /tmp/x"], _record.Blocked);
    }

    private Task Type(string keys) => _gate.FeedAsync(_shell, Encoding.UTF8.GetBytes(keys));

    /// <summary>
    /// Once <c>stty -echo</c> ran and the refused line reached the shell unechoed, moves the clock through the wait for its
    /// echo: nothing but the clock tells the gate that the echo is not coming.
    /// </summary>
    private async Task RefusedUnechoedAsync()
    {
        await _shell.ReceivedAsync($"stty -echo\r{Refused}");
        await MoveTheClockUntilAsync(() => _record.Blocked.Count > 0);
    }

    /// <summary>Moves the clock on in small steps until <paramref name="done"/> (bounded in real time).</summary>
    private async Task MoveTheClockUntilAsync(Func<bool> done)
    {
        var bound = System.Diagnostics.Stopwatch.StartNew();
        while (!done())
        {
            Assert.True(bound.Elapsed < TimeSpan.FromSeconds(20), "the gate never got there");
            _clock.Advance(Step);
            await Task.Delay(10);
        }
    }

    private Task MoveTheClockWhileAsync(Task typing) => MoveTheClockUntilAsync(() => typing.IsCompleted);

    public async ValueTask DisposeAsync() => await _shell.DisposeAsync();
}
