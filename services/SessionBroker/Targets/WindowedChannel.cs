using System.Reflection;
using Renci.SshNet;
using Renci.SshNet.Common;

namespace Gatehouse.SessionBroker.Targets;

/// <summary>
/// What a session channel (<see cref="TargetChannel"/>) and a tunnel (<see cref="TargetTunnel"/>) share: an SSH.NET
/// channel bound by reflection (<see cref="ChannelInternals"/>), whose window the gateway holds (<see cref="TunnelWindow"/>).
/// SSH.NET raises every channel's data on the one receive thread of the target connection, so what arrives is only put
/// in the channel's own queue (<see cref="Put"/>), never waited on. Throwing there would end the whole target
/// connection: a target that sends past its window ends this channel's data with an error instead (its relay then ends
/// the channel), what arrives after the end is dropped, and the end is told once.
/// <para>
/// A lost target connection (<see cref="ConnectionLoss"/>) ends the channel's data with a <see cref="TargetLostException"/>,
/// so its relay ends at once rather than at the idle timeout.
/// </para>
/// </summary>
public abstract class WindowedChannel : IDisposable
{
    private readonly ChannelInternals _internals;
    private readonly ConnectionLoss _loss;
    private readonly TunnelWindow _window;
    private readonly string _kind;
    private readonly List<(EventInfo Event, Delegate Handler)> _subscriptions = [];
    private readonly Lock _receiving = new();
    private bool _ended;
    private int _disposed;

    private protected WindowedChannel(ChannelInternals internals, Session connection, object channel, uint window, string kind)
    {
        _internals = internals;
        SshNetChannel = channel;
        _window = new TunnelWindow(window);
        _kind = kind;
        Listen(internals.DataReceivedEvent, e => Receive(internals.Data(e), stderr: false));
        Listen(internals.EndOfDataEvent, _ => EndOfData());
        Listen(internals.ClosedEvent, _ =>
        {
            EndOfData();
            Ended();
        });
        _loss = new ConnectionLoss(connection, how =>
        {
            EndOfData(new TargetLostException(how));
            Ended();
        });
    }

    /// <summary>SSH.NET's channel, typed as its internal class, which the subclasses' compiled calls take.</summary>
    private protected object SshNetChannel { get; }

    /// <summary>What the gateway holds of the target's data that the user has not taken yet (at most the window).</summary>
    public long Buffered => _window.Buffered;

    /// <summary>
    /// The relay handed <paramref name="count"/> bytes on to the user: the target's window reopens by as much (in steps of
    /// <see cref="TunnelWindow.GrantThreshold"/>). A channel already closed needs none.
    /// </summary>
    public void Taken(int count)
    {
        if (Volatile.Read(ref _disposed) == 0)
        {
            _internals.Reopen(SshNetChannel, _window, count);
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _loss.Dispose();
        foreach (var (evt, handler) in _subscriptions)
        {
            evt.RemoveMethod!.Invoke(SshNetChannel, [handler]);
        }

        try
        {
            ((IDisposable)SshNetChannel).Dispose();
        }
        catch (Exception e) when (e is SshException or ObjectDisposedException or InvalidOperationException or System.Net.Sockets.SocketException)
        {
            // The target connection is already gone.
        }

        EndOfData();
        Released();
    }

    /// <summary>Hears one of the channel's events, until <see cref="Dispose"/>.</summary>
    private protected void Listen(EventInfo evt, Action<EventArgs> heard)
    {
        EventHandler<EventArgs> handler = (_, e) => heard(e);
        var typed = Delegate.CreateDelegate(evt.EventHandlerType!, handler.Target, handler.Method);
        evt.AddMethod!.Invoke(SshNetChannel, [typed]);
        _subscriptions.Add((evt, typed));
    }

    /// <summary>Runs on SSH.NET's receive thread: counts the packet against the window and queues it, or ends the data.</summary>
    private protected void Receive(ArraySegment<byte> data, bool stderr)
    {
        lock (_receiving)
        {
            if (_ended)
            {
                return;
            }

            if (!_window.Received(data.Count))
            {
                _ended = true;
                Complete(new InvalidDataException($"the target sent more than the {_window.Size}-byte window the {_kind} gave it"));
                return;
            }

            Put(data, stderr);
        }
    }

    /// <summary>The target sent EOF or closed the channel, or the gateway let it go: the queue completes, once.</summary>
    private protected void EndOfData(Exception? error = null)
    {
        lock (_receiving)
        {
            if (!_ended)
            {
                _ended = true;
                Complete(error);
            }
        }
    }

    /// <summary>Queues a packet for the relay; runs on the receive thread and must not wait.</summary>
    private protected abstract void Put(ArraySegment<byte> data, bool stderr);

    /// <summary>Completes the queue: the relay reads what is in it, then the end (or the error).</summary>
    private protected abstract void Complete(Exception? error);

    /// <summary>The target closed the channel, or its connection was lost: complete what waits for the channel's close.</summary>
    private protected abstract void Ended();

    /// <summary>The channel is let go: complete what callers wait on.</summary>
    private protected abstract void Released();
}

/// <summary>The gateway's connection to the target was lost while a channel was open; the message says how, for the user.</summary>
public sealed class TargetLostException(string how) : Exception($"the connection to the target was lost ({how})");
