using System.Diagnostics;
using Gatehouse.SessionBroker.Commands;

namespace Gatehouse.SessionBroker.Tests.Commands;

public sealed class When_the_gate_waits_for_the_targets_output
{
    [Fact]
    public async Task Should_answer_at_once_when_output_came_since_the_mark()
    {
        var output = new TargetOutput();
        var mark = output.Count;
        output.Arrived("x"u8);

        Assert.True(await output.SinceAsync(mark, TimeSpan.Zero, TimeProvider.System));
    }

    [Fact]
    public async Task Should_wake_when_output_arrives_not_at_the_end_of_the_wait()
    {
        var output = new TargetOutput();
        var mark = output.Count;
        var waited = Stopwatch.StartNew();

        var waiting = output.SinceAsync(mark, TimeSpan.FromSeconds(30), TimeProvider.System);
        await Task.Delay(50);
        Assert.False(waiting.IsCompleted);
        output.Arrived("x"u8);

        Assert.True(await waiting.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.True(waited.Elapsed < TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Should_say_no_when_nothing_came_within_the_wait()
    {
        var output = new TargetOutput();
        output.Arrived("x"u8);

        Assert.False(await output.SinceAsync(output.Count, TimeSpan.FromMilliseconds(50), TimeProvider.System));
    }

    [Fact]
    public async Task Should_not_miss_output_arriving_while_many_wait()
    {
        var output = new TargetOutput();
        var waiters = Enumerable.Range(0, 50).Select(_ => output.SinceAsync(output.Count, TimeSpan.FromSeconds(30), TimeProvider.System)).ToList();
        var arriving = Task.Run(() =>
        {
            for (var i = 0; i < 1000; i++)
            {
                output.Arrived("x"u8);
            }
        });

        await arriving;
        Assert.All(await Task.WhenAll(waiters).WaitAsync(TimeSpan.FromSeconds(10)), Assert.True);
    }

    [Fact]
    public async Task Should_count_a_shell_taking_a_line_and_announcing_the_next_even_when_the_announcements_are_split()
    {
        var output = new TargetOutput();
        output.Arrived("\u001b[?2004hroot@vm:~# ls"u8);
        var mark = output.LinesTaken;
        var waiting = output.NewLineSinceAsync(mark, TimeSpan.FromSeconds(30), TimeProvider.System);
        output.Arrived("\u001b[?20"u8);
        output.Arrived("04l\r\ntotal 0\r\n\u001b[?20"u8);
        Assert.False(waiting.IsCompleted);

        output.Arrived("04hroot@vm:~# "u8);

        Assert.True(await waiting.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal((2, 1), (output.Prompts, output.LinesTaken));
        output.Arrived("\u001b\u001b[?2004h"u8);
        Assert.Equal(3, output.Prompts);
        Assert.False(await output.NewLineSinceAsync(output.LinesTaken, TimeSpan.FromMilliseconds(50), TimeProvider.System));
    }

    [Fact]
    public async Task Should_count_a_new_line_announced_alone_only_once_the_prompt_after_it_arrived()
    {
        // bash writes the announcement and the prompt apart; they may arrive apart, and the prompt is no echo of what comes next.
        var output = new TargetOutput();
        output.Arrived("\u001b[?2004hroot@vm:~# ls\u001b[?2004l\r\ntotal 0\r\n"u8);
        var mark = output.LinesTaken - 1;

        output.Arrived("\u001b[?2004h"u8);
        Assert.False(await output.NewLineSinceAsync(mark, TimeSpan.FromMilliseconds(50), TimeProvider.System));
        output.Arrived("root@vm:~# "u8);
        var prompt = output.Count;

        Assert.True(await output.NewLineSinceAsync(mark, TimeSpan.Zero, TimeProvider.System));
        Assert.False(await output.SinceAsync(prompt, TimeSpan.FromMilliseconds(50), TimeProvider.System));
    }

    [Fact]
    public async Task Should_not_take_a_prompt_drawn_before_the_shell_took_the_line_for_the_next_one()
    {
        var output = new TargetOutput();
        output.Arrived("\u001b[?2004hroot@vm:~# echo one\u001b[?2004l\r\none\r\n"u8);
        // The next line is typed and its Enter sent before the prompt after "one" arrived (a loaded target draws it late).
        var mark = output.LinesTaken;
        output.Arrived("\u001b[?2004hroot@vm:~# "u8);

        Assert.False(await output.NewLineSinceAsync(mark, TimeSpan.FromMilliseconds(50), TimeProvider.System));
        output.Arrived("history -s x\u001b[?2004l\r\n\u001b[?2004hroot@vm:~# "u8);
        Assert.True(await output.NewLineSinceAsync(mark, TimeSpan.Zero, TimeProvider.System));
    }
}
