using System.Text;
using System.Threading.Channels;
using Gatehouse.SessionBroker.Sessions;

namespace Gatehouse.SessionBroker.Tests.Sessions;

/// <summary>The target's side of a session's output, as the relay sees it: what the test queues, and what the relay reports taken.</summary>
internal sealed class TargetQueue : ITargetOutput
{
    private readonly Channel<TargetBytes> _queue = Channel.CreateUnbounded<TargetBytes>();
    private long _taken;

    public ChannelReader<TargetBytes> FromTarget => _queue.Reader;

    /// <summary>What the relay reported handed on to the user, which reopens the target's window.</summary>
    public long TakenSoFar => Interlocked.Read(ref _taken);

    public void Taken(int count) => Interlocked.Add(ref _taken, count);

    public void Send(string text, bool stderr = false) => Send(Encoding.UTF8.GetBytes(text), stderr);

    public void Send(byte[] data, bool stderr = false) => _queue.Writer.TryWrite(new TargetBytes(data, stderr));

    public void End(Exception? error = null) => _queue.Writer.Complete(error);

    /// <summary>Runs <paramref name="relay"/>'s output pump over <paramref name="pieces"/> until it took them all.</summary>
    public static async Task RelayAsync(SessionRelay relay, params string[] pieces)
    {
        var queue = new TargetQueue();
        foreach (var piece in pieces)
        {
            queue.Send(piece);
        }

        queue.End();
        await relay.PumpFromTargetAsync(queue).WaitAsync(TimeSpan.FromSeconds(10));
    }
}
