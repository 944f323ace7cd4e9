using System.Text;
using Gatehouse.Contracts;
using Gatehouse.Contracts.Authorization;
using Gatehouse.SessionBroker.Commands;

namespace Gatehouse.SessionBroker.Tests.Commands;

public sealed class When_lines_pass_the_command_gate : IAsyncDisposable
{
    private const string ClearLine = "\x05\x15";

    private readonly TargetOutput _output = new();
    private readonly FakeShell _shell;
    private readonly CommandsKept _record = new();

    public When_lines_pass_the_command_gate() => _shell = new FakeShell(_output);

    private CommandGate Gate(bool governed = true, bool onTerminal = true, TimeSpan? echoWait = null)
    {
        _record.Policies = new CommandPolicyCheck(governed ? [CommandsKept.NoRecursiveDelete] : []);
        return new CommandGate(_record.Policies, readsInput: true, onTerminal, auditsTransfer: false, _record, _output, TimeProvider.System,
            echoWait ?? TimeSpan.FromSeconds(5));
    }

    private Task Type(CommandGate gate, string keys) => gate.FeedAsync(_shell, Encoding.UTF8.GetBytes(keys));

    [Fact]
    public async Task Should_pass_a_typed_line_that_may_run_and_record_it()
    {
        var gate = Gate();

        await Type(gate, "ls -l\r");

        Assert.Equal("ls -l\r", await _shell.ReceivedAsync("ls -l\r"));
        Assert.Equal(["ls -l"], _record.Executed);
        Assert.Empty(_record.Blocked);
    }

    [Fact]
    public async Task Should_empty_a_refused_line_on_the_target_instead_of_submitting_it()
    {
        var gate = Gate();

        await Type(gate, "rm -rf /tmp/x\r");

        Assert.Equal("rm -rf /tmp/x" + ClearLine, await _shell.ReceivedAsync("rm -rf /tmp/x" + ClearLine));
        Assert.Equal(["rm -rf /tmp/x"], _record.Blocked);
        Assert.Empty(_record.Executed);
        Assert.Contains(_record.Told, line => line.Contains("no-recursive-delete"));
    }

    [Fact]
    public async Task Should_record_a_line_the_target_did_not_echo_without_its_text()
    {
        var gate = Gate(governed: false, echoWait: TimeSpan.FromMilliseconds(200));
        _shell.Echo = false;

        await Type(gate, "hunter2\r");

        Assert.Equal("hunter2\r", await _shell.ReceivedAsync("hunter2\r"));
        Assert.Equal([CommandGate.NotEchoed], _record.Executed);
    }

    [Fact]
    public async Task Should_hold_keys_typed_behind_an_Enter_until_the_target_answered_it()
    {
        var gate = Gate(echoWait: TimeSpan.FromSeconds(30));
        _shell.AnswerEnter = false;
        await Type(gate, "sleep 5\r");
        Assert.Equal("sleep 5\r", await _shell.ReceivedAsync("sleep 5\r"));

        var typedAhead = Type(gate, "rm");
        await Task.Delay(300);
        Assert.False(typedAhead.IsCompleted);
        Assert.Equal("sleep 5\r", _shell.Received);

        _shell.Answer();
        await typedAhead.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal("sleep 5\rrm", await _shell.ReceivedAsync("sleep 5\rrm"));
    }

    [Fact]
    public async Task Should_wake_on_the_echo_instead_of_waiting_out_the_echo_wait()
    {
        var gate = Gate(echoWait: TimeSpan.FromSeconds(30));

        var typed = System.Diagnostics.Stopwatch.StartNew();
        await Type(gate, "ls\r").WaitAsync(TimeSpan.FromSeconds(10));

        Assert.True(typed.Elapsed < TimeSpan.FromSeconds(10));
        Assert.Equal(["ls"], _record.Executed);
    }

    [Fact]
    public async Task Should_pass_on_plain_lines_that_may_run_and_drop_refused_ones()
    {
        var gate = Gate(onTerminal: false);

        await gate.FeedAsync(_shell, Encoding.UTF8.GetBytes("ls\nrm -rf /tmp/x\nid"));
        await gate.EndOfInputAsync(_shell);

        Assert.Equal("ls\nid", await _shell.ReceivedAsync("ls\nid"));
        Assert.Equal(["ls", "id"], _record.Executed);
        Assert.Equal(["rm -rf /tmp/x"], _record.Blocked);
    }

    [Fact]
    public async Task Should_check_an_exec_command_before_it_runs()
    {
        var gate = new CommandGate(new CommandPolicyCheck([CommandsKept.NoRecursiveDelete]), readsInput: false, onTerminal: false, auditsTransfer: false,
            _record, _output, TimeProvider.System);
        _record.Policies = new CommandPolicyCheck([CommandsKept.NoRecursiveDelete]);

        Assert.True(await gate.AllowExecAsync("uptime"));
        Assert.False(await gate.AllowExecAsync("rm -rf /var/lib"));
        Assert.Equal(["uptime"], _record.Executed);
        Assert.Equal(["rm -rf /var/lib"], _record.Blocked);
        Assert.False(gate.FollowsInput);
    }

    [Fact]
    public async Task Should_not_run_a_line_when_changed_policies_cannot_be_fetched()
    {
        var gate = Gate();
        _record.Policies = null;

        await Type(gate, "ls\r");

        Assert.Equal("ls" + ClearLine, await _shell.ReceivedAsync("ls" + ClearLine));
        Assert.Empty(_record.Executed);
    }

    [Fact]
    public async Task Should_refuse_keys_it_cannot_follow_once_a_policy_came_mid_session()
    {
        var gate = Gate(governed: false);
        await Type(gate, "ls\r");

        _record.Policies = new CommandPolicyCheck([CommandsKept.NoRecursiveDelete]);
        await Type(gate, "id\r");
        await Type(gate, "ls\t");

        Assert.Equal("ls\rid\rls" + ClearLine, await _shell.ReceivedAsync("ls\rid\rls" + ClearLine));
        Assert.Equal(["ls", "id"], _record.Executed);
        Assert.Equal(["ls"], _record.Blocked);
    }

    public async ValueTask DisposeAsync() => await _shell.DisposeAsync();
}
