using System.Text;
using System.Threading.Channels;
using Gatehouse.SessionBroker.Commands;

namespace Gatehouse.SessionBroker.Tests.Commands;

/// <summary>
/// Stands for the target's shell behind the gate: what reaches it is kept in order, and, on its own thread as a target
/// answers, it echoes typed keys (unless <see cref="Echo"/> is off, as at a password prompt) and answers an Enter with a
/// prompt (unless <see cref="AnswerEnter"/> is off, as while a command runs; <see cref="Answer"/> then answers it). The
/// lines <c>stty -echo</c> and <c>stty echo</c> turn its echo off and on, as on a terminal; Ctrl-U empties its line.
/// </summary>
public sealed class FakeShell : IShellInput, IAsyncDisposable
{
    private readonly Channel<byte[]> _input = Channel.CreateUnbounded<byte[]>();
    private readonly MemoryStream _received = new();
    private readonly StringBuilder _line = new();
    private readonly TargetOutput _output;
    private readonly Task _reading;

    public FakeShell(TargetOutput output)
    {
        _output = output;
        _reading = Task.Run(ReadAsync);
    }

    public bool Echo { get; set; } = true;

    public bool AnswerEnter { get; set; } = true;

    /// <summary>What reached the shell so far.</summary>
    public string Received
    {
        get
        {
            lock (_received)
            {
                return Encoding.UTF8.GetString(_received.ToArray());
            }
        }
    }

    public void Send(ReadOnlyMemory<byte> data) => _input.Writer.TryWrite(data.ToArray());

    /// <summary>The running command ends and the prompt comes back.</summary>
    public void Answer() => _output.Arrived("$ "u8);

    /// <summary>Waits until the shell received <paramref name="expected"/> (the bytes travel through its own thread).</summary>
    public async Task<string> ReceivedAsync(string expected)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (Received != expected && waited.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(5);
        }

        return Received;
    }

    private async Task ReadAsync()
    {
        await foreach (var data in _input.Reader.ReadAllAsync())
        {
            lock (_received)
            {
                _received.Write(data);
            }

            var enter = data.Contains((byte)'\r') || data.Contains((byte)'\n');
            if (Echo && !enter || enter && AnswerEnter)
            {
                _output.Arrived(data);
            }

            Run(data);
        }
    }

    private void Run(byte[] data)
    {
        foreach (var c in Encoding.UTF8.GetString(data))
        {
            switch (c)
            {
                case '\r' or '\n':
                    Echo = _line.ToString() switch { "stty -echo" => false, "stty echo" => true, _ => Echo };
                    _line.Clear();
                    break;
                case '\x15':
                    _line.Clear();
                    break;
                case > '\x1f':
                    _line.Append(c);
                    break;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _input.Writer.Complete();
        await _reading;
    }
}
