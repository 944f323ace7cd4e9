using System.Diagnostics;

namespace Gatehouse.EndToEnd.Tests.Forwarding;

/// <summary>
/// ssh running a command that prints "tick" five times a second, with the forwards its arguments ask for: the output a
/// stalled forward beside it on the same connection must not stop.
/// </summary>
internal sealed class Ticking : IAsyncDisposable
{
    private const string Command = "while true; do echo tick; sleep 0.2; done";
    private readonly Process _ssh;
    private readonly Task _counting;
    private int _ticks;

    /// <param name="arguments">ssh's options, forwards and destination; the command is added.</param>
    public Ticking(IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo("ssh") { RedirectStandardInput = true, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in arguments.Append(Command))
        {
            start.ArgumentList.Add(argument);
        }

        _ssh = Process.Start(start)!;
        _counting = Task.Run(async () =>
        {
            while (await _ssh.StandardOutput.ReadLineAsync() is { } line)
            {
                if (line == "tick")
                {
                    Interlocked.Increment(ref _ticks);
                }
            }
        });
    }

    /// <summary>Fails unless five more ticks arrive within 30 s.</summary>
    public async Task AssertStillTickingAsync(string beside)
    {
        var before = Volatile.Read(ref _ticks);
        var waited = Stopwatch.StartNew();
        while (Volatile.Read(ref _ticks) < before + 5 && waited.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(100);
        }

        Assert.True(Volatile.Read(ref _ticks) >= before + 5,
            $"the command's output stopped while {beside} beside it stalled: {Volatile.Read(ref _ticks) - before} ticks in {waited.Elapsed.TotalSeconds:0} s");
    }

    public async ValueTask DisposeAsync()
    {
        _ssh.Kill();
        await _counting.WaitAsync(TimeSpan.FromSeconds(30));
        _ssh.Dispose();
    }
}
