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
    public async Task Should_count_a_shell_announcing_a_new_line_even_when_the_announcement_is_split()
    {
        var output = new TargetOutput();
        output.Arrived("\u001b[?2004l\r\ntotal 0\r\n\u001b[?20"u8);
        var mark = output.Prompts;
        var waiting = output.PromptSinceAsync(mark, TimeSpan.FromSeconds(30), TimeProvider.System);
        Assert.False(waiting.IsCompleted);

        output.Arrived("04hroot@vm:~# "u8);

        Assert.True(await waiting.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(1, output.Prompts);
        output.Arrived("\u001b\u001b[?2004h"u8);
        Assert.Equal(2, output.Prompts);
        Assert.False(await output.PromptSinceAsync(output.Prompts, TimeSpan.FromMilliseconds(50), TimeProvider.System));
    }
}
