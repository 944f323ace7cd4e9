using System.Text;
using Gatehouse.SessionBroker.Commands;
using Microsoft.Extensions.Time.Testing;

namespace Gatehouse.SessionBroker.Tests.Commands;

/// <summary>
/// A loaded target draws the prompt after a command's output late: a line typed and submitted before it arrived must not
/// take that prompt for the answer to its own Enter. Keys typed behind the Enter would then reach bash between two readline
/// calls, where a refusal's emptying misses them (seen in CI: a refused <c>fc -s</c> stayed in front of the next line,
/// which bash ran as <c>fc -secho ...</c>). The clock here moves only when the test moves it.
/// </summary>
public sealed class When_a_prompt_comes_late : IAsyncDisposable
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 5, 3, 0, 0, TimeSpan.Zero));
    private readonly TargetOutput _output = new();
    private readonly FakeShell _shell;
    private readonly CommandGate _gate;

    public When_a_prompt_comes_late()
    {
        _shell = new FakeShell(_output) { AnswerEnter = false };
        var record = new CommandsKept { Policies = new CommandPolicyCheck([CommandsKept.NoRecursiveDelete]) };
        _gate = new CommandGate(record.Policies!, readsInput: true, onTerminal: true, auditsTransfer: false, record, _output, _clock,
            TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task Should_hold_keys_typed_behind_an_Enter_until_the_shell_took_it_and_reads_a_new_line()
    {
        // A shell that announces its lines printed "one"; the prompt after it has not arrived yet.
        _output.Arrived("\u001b[?2004h$ echo one\u001b[?2004l\r\none\r\n"u8);
        await Type("history -s x\r").WaitAsync(TimeSpan.FromSeconds(10));
        _output.Arrived("\u001b[?2004h$ "u8);

        var typing = Type("fc -s");
        await Task.Delay(200);
        Assert.False(typing.IsCompleted);
        Assert.Equal("history -s x\r", _shell.Received);

        _output.Arrived("\u001b[?2004l\r\n\u001b[?2004h$ "u8);
        await typing.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("history -s x\rfc -s", await _shell.ReceivedAsync("history -s x\rfc -s"));
    }

    private Task Type(string keys) => _gate.FeedAsync(_shell, Encoding.UTF8.GetBytes(keys));

    public async ValueTask DisposeAsync() => await _shell.DisposeAsync();
}
