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
        output.Arrived();

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
        output.Arrived();

        Assert.True(await waiting.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.True(waited.Elapsed < TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Should_say_no_when_nothing_came_within_the_wait()
    {
        var output = new TargetOutput();
        output.Arrived();

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
                output.Arrived();
            }
        });

        await arriving;
        Assert.All(await Task.WhenAll(waiters).WaitAsync(TimeSpan.FromSeconds(10)), Assert.True);
    }
}
