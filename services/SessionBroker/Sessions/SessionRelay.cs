using System.Collections.Immutable;
using Gatehouse.Contracts;
using Gatehouse.SessionBroker.Commands;
using Gatehouse.SessionBroker.Recording;
using Gatehouse.SessionBroker.Sftp;

namespace Gatehouse.SessionBroker.Sessions;

/// <summary>
/// The two byte pumps of a session: the user's input through the command gate (or the transfer audit) to the target,
/// and the target's output, recorded, to the user. Backpressure: the target's output is written to the user on
/// SSH.NET's receive thread, which blocks until the user's window takes it, so the target is not read faster than the
/// user reads (<paramref name="user"/> is the user's session channel as a stream). Observers (a live view) see each
/// frame of output as the user gets it, from the same pump: there is no second copy of it.
/// </summary>
public sealed class SessionRelay(
    Stream user,
    SessionEnding ending,
    SessionLimits limits,
    TargetOutput output,
    AsciicastRecorder? recorder,
    bool recordInput,
    CommandGate gate,
    TransferAudit? transfer)
{
    private ImmutableArray<Action<ReadOnlyMemory<byte>>> _observers = [];
    private long _bytesFromClient;
    private long _bytesToClient;

    public long BytesFromClient => Interlocked.Read(ref _bytesFromClient);

    public long BytesToClient => Interlocked.Read(ref _bytesToClient);

    /// <summary>An sftp or scp session: its output is file data, which watchers are not shown.</summary>
    public bool CarriesFiles => transfer is not null;

    /// <summary>
    /// Shows the target's output to <paramref name="frame"/> as it reaches the user, until disposed. It is called on the
    /// pump's thread with memory the pump reuses: copy what is kept, and never block (a slow watcher would slow the session).
    /// </summary>
    public IDisposable Watch(Action<ReadOnlyMemory<byte>> frame)
    {
        ImmutableInterlocked.Update(ref _observers, list => list.Add(frame));
        return new Unwatch(() => ImmutableInterlocked.Update(ref _observers, list => list.Remove(frame)));
    }

    /// <summary>The target's output (stdout and stderr alike, as ssh shows them); runs on SSH.NET's receive thread.</summary>
    public void FromTarget(ReadOnlyMemory<byte> data)
    {
        limits.Touch();
        output.Arrived(data.Span);
        Interlocked.Add(ref _bytesToClient, data.Length);
        try
        {
            if (transfer is not null)
            {
                if (!transfer.FromTargetAsync(data.Span).GetAwaiter().GetResult())
                {
                    return;
                }
            }
            else
            {
                recorder!.OutputAsync(data).AsTask().GetAwaiter().GetResult();
                foreach (var observer in _observers)
                {
                    observer(data);
                }
            }

            user.WriteAsync(data, ending.Token).AsTask().GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException or InvalidOperationException)
        {
            ending.End(SessionEndReason.ClientClosed, null);
        }
    }

    /// <summary>Pumps the user's input to the target until either side ends; the target is sent EOF when the user's input ends.</summary>
    public async Task PumpFromClientAsync(ITargetInput target)
    {
        var buffer = new byte[32 * 1024];
        try
        {
            while (true)
            {
                var read = await user.ReadAsync(buffer, ending.Token);
                if (read == 0)
                {
                    await HeldByTheGateAsync(() => gate.EndOfInputAsync(target));
                    target.SendEof();
                    return;
                }

                limits.Touch();
                Interlocked.Add(ref _bytesFromClient, read);
                var data = buffer.AsMemory(0, read);
                if (transfer is not null)
                {
                    if (!await transfer.FromClientAsync(data.Span))
                    {
                        return;
                    }

                    target.Send(data);
                    continue;
                }

                if (recordInput)
                {
                    await recorder!.InputAsync(data);
                }

                await HeldByTheGateAsync(() => gate.FeedAsync(target, data));
            }
        }
        catch (OperationCanceledException)
        {
            // The session ended; it closes both sides.
        }
        catch (Exception e) when (e is Renci.SshNet.Common.SshException or ObjectDisposedException or InvalidOperationException or IOException)
        {
            ending.End(SessionEndReason.TargetClosed, null);
        }
    }

    /// <summary>While the gate checks a line and holds the keys behind it, the session is not idle (see <see cref="SessionLimits.InputHeld"/>).</summary>
    private async Task HeldByTheGateAsync(Func<Task> passing)
    {
        limits.InputHeld();
        try
        {
            await passing();
        }
        finally
        {
            limits.InputPassed();
        }
    }

    private sealed class Unwatch(Action remove) : IDisposable
    {
        private int _done;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _done, 1) == 0)
            {
                remove();
            }
        }
    }
}

/// <summary>The target's side of the user's input: what passes the gate, and the end of it.</summary>
public interface ITargetInput : IShellInput
{
    void SendEof();
}
