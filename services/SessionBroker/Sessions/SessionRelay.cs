using System.Collections.Immutable;
using System.Threading.Channels;
using Gatehouse.Contracts;
using Gatehouse.SessionBroker.Commands;
using Gatehouse.SessionBroker.Recording;
using Gatehouse.SessionBroker.Sftp;

namespace Gatehouse.SessionBroker.Sessions;

/// <summary>
/// The two byte pumps of a session: the user's input through the command gate (or the transfer audit) to the target,
/// and the target's output, recorded, to the user (<paramref name="user"/> is the user's session channel as a stream,
/// <paramref name="userErrors"/> writes to its stderr). Backpressure: the target's output waits in its channel until this
/// pump, on a task of its own, has written it to the user, and only then reopens the target's window
/// (<see cref="ITargetOutput.Taken"/>), so the target is not read faster than the user reads and no other channel of the
/// target connection waits for this one. Observers (a live view) see each frame of output as the user gets it, from the
/// same pump: there is no second copy of it.
/// </summary>
public sealed class SessionRelay(
    Stream user,
    Func<ReadOnlyMemory<byte>, CancellationToken, ValueTask> userErrors,
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

    /// <summary>
    /// Pumps the target's output to the user until it ends (or the session does): stdout to the user's stdout, stderr to
    /// their stderr, in the order the target sent them. A target that broke its window ends the session, and so does a
    /// lost target connection.
    /// </summary>
    public async Task PumpFromTargetAsync(ITargetOutput target)
    {
        try
        {
            while (await target.FromTarget.WaitToReadAsync(ending.Token))
            {
                while (target.FromTarget.TryRead(out var bytes))
                {
                    if (!await PassOnAsync(bytes))
                    {
                        return;
                    }

                    target.Taken(bytes.Data.Length);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The session ended; it closes both sides.
        }
        catch (InvalidDataException e)
        {
            ending.End(SessionEndReason.Error, $"gatehouse: {e.Message}, so the session was closed");
        }
        catch (Targets.TargetLostException e)
        {
            ending.End(SessionEndReason.TargetLost, $"gatehouse: {e.Message}, so the session was closed");
        }
    }

    /// <summary>
    /// Records one piece of the target's output, shows it to watchers and writes it to the user; false when the session
    /// ends on it (the transfer audit stopped it, or the user is gone). Stderr is not part of a transfer's stream: it is
    /// not read as one, and it is recorded and watched as what the user saw.
    /// </summary>
    private async ValueTask<bool> PassOnAsync(TargetBytes bytes)
    {
        var data = bytes.Data;
        limits.Touch();
        Interlocked.Add(ref _bytesToClient, data.Length);
        try
        {
            if (transfer is not null)
            {
                if (!bytes.Stderr && !await transfer.FromTargetAsync(data.Span))
                {
                    return false;
                }
            }
            else
            {
                await recorder!.OutputAsync(data);
                foreach (var observer in _observers)
                {
                    observer(data);
                }
            }

            // Only once it is in the recording: the gate marks a command there when it sees the echo, and a player seeking
            // to the mark must show the line typed (seen: the mark before the echo, in a console test under load).
            output.Arrived(data.Span);

            await (bytes.Stderr ? userErrors(data, ending.Token) : user.WriteAsync(data, ending.Token));
            return true;
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException or InvalidOperationException)
        {
            ending.End(SessionEndReason.ClientClosed, null);
            return false;
        }
    }

    /// <summary>Pumps the user's input to the target until either side ends; the target is sent EOF when the user's input ends.</summary>
    public async Task PumpFromClientAsync(ITargetInput target)
    {
        // Two of the client's 32 KiB packets at a time when they are there: half the passes through the gate per MiB.
        var buffer = new byte[64 * 1024];
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

/// <summary>The target's output as it waits for the user: stdout and stderr in the order sent, and what was handed on.</summary>
public interface ITargetOutput
{
    ChannelReader<TargetBytes> FromTarget { get; }

    /// <summary>The relay handed <paramref name="count"/> bytes on to the user: the target may send as many more.</summary>
    void Taken(int count);
}

/// <summary>A piece of the target's output, from its stdout or (<paramref name="Stderr"/>) its stderr.</summary>
public readonly record struct TargetBytes(ReadOnlyMemory<byte> Data, bool Stderr);
