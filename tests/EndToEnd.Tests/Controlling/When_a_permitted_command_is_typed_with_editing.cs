using Gatehouse.Contracts;
using Gatehouse.EndToEnd.Tests.Support;

namespace Gatehouse.EndToEnd.Tests.Controlling;

/// <summary>
/// Under a deny policy, the editing the gateway follows still works: each line is typed with some editing, must run (its
/// output appears) and be recorded as exactly the line the shell ran, and nothing is refused.
/// </summary>
[Collection(GatehouseCollection.Name)]
public sealed class When_a_permitted_command_is_typed_with_editing(GatehouseStack stack)
{
    private const string Left = "\x1b[D";
    private const string Right = "\x1b[C";
    private const string Home = "\x1b[H";
    private const string End = "\x1b[F";
    private const string Delete = "\x1b[3~";

    /// <summary>Keys typed, the line the shell runs, and what it prints.</summary>
    public static readonly TheoryData<string, string, string> Edits = new()
    {
        { "ech0\x7fo ok-$((1*1))\r", "echo ok-$((1*1))", "ok-1" },
        { "rm -rf /tmp/x\u0015echo ok-$((2*1))\r", "echo ok-$((2*1))", "ok-2" },
        { $"eho ok-$((3*1)){Home}{Right}c\r", "echo ok-$((3*1))", "ok-3" },
        { $"echo ok-$((4*1){Home}{End})\r", "echo ok-$((4*1))", "ok-4" },
        { $"echo ok-$((5*1)){Left}{Left}{Left}{Left}{Left}{Left}{Left}{Left}{Right}{Right}{Right}{Right}{Right}{Right}{Right}{Right} \r", "echo ok-$((5*1)) ", "ok-5" },
        { "cho ok-$((6*1))\u0001e\u0005\r", "echo ok-$((6*1))", "ok-6" },
        { "echo wrong\x17ok-$((7*1))\r", "echo ok-$((7*1))", "ok-7" },
        { $"echo ok-$((8*1)) junk{Left}{Left}{Left}{Left}{Left}\x0b\r", "echo ok-$((8*1))", "ok-8" },
        { $"echo xok-$((9*1))\x01{Right}{Right}{Right}{Right}{Right}{Delete}\r", "echo ok-$((9*1))", "ok-9" },
        { "echo ok-$((10*1)\x02\x02\x06\x06)\r", "echo ok-$((10*1))", "ok-10" },
        { "\x1b[200~echo ok-$((11*1))\x1b[201~\r", "echo ok-$((11*1))", "ok-11" },
        { "echo \x1b[200~'pasted  text'\x1b[201~ ok-$((12*1))\r", "echo 'pasted  text' ok-$((12*1))", "pasted  text ok-12" },
        { $"\x1b[200~echo ok-$((13*1))\x1b[201~{Home}x\x7f{End} \x7f\r", "echo ok-$((13*1))", "ok-13" },
        { "echo ünï-$((14*1))x\x7f\x0c\r", "echo ünï-$((14*1))", "ünï-14" },
        { "rm -rf /tmp/x\u0003echo ok-$((15*1))\r", "echo ok-$((15*1))", "ok-15" },
        { "echo ok-$((16*1))\x1bOD\x1bOC\x1b[1~\x1b[4~\r", "echo ok-$((16*1))", "ok-16" },
    };

    [Fact]
    public async Task Should_run_it_and_record_exactly_the_line_the_shell_ran()
    {
        var (user, target, _) = await stack.AUserWithAGrantAsync("editing", "guarded");
        await stack.DenyCommandsAsync("no-recursive-delete", "rm -rf *");

        await using var ssh = InteractiveSsh.Start(stack, user, target);
        await ssh.TypeAsync("echo ready-$((0*1))\r");
        await ssh.WaitForAsync("ready-0");
        foreach (var edit in Edits)
        {
            var mark = ssh.Output.Length;
            await ssh.TypeAsync((string)edit[0]);
            await ssh.WaitForAsync((string)edit[2] + "\r\n", from: mark);
            // Each line is finished before the next one is typed, as a person types.
            await ssh.TypeAsync("echo done-$((7*6))\r");
            await ssh.WaitForAsync("done-42", from: mark);
        }

        await ssh.TypeAsync("exit\r");
        await ssh.WaitForExitAsync();

        Assert.DoesNotContain("gatehouse: ", ssh.Output);
        Assert.Empty(await stack.BrokerEventsAsync(e => e is CommandBlocked b && b.UserName == user.Name));
        var executed = (await stack.BrokerEventsAsync(e => e is CommandExecuted c && c.UserName == user.Name)).Cast<CommandExecuted>().ToList();
        Assert.All(executed, c => Assert.Equal(CommandCapture.InteractiveLine, c.Capture));
        Assert.Equal(["echo ready-$((0*1))", .. Edits.SelectMany(e => new[] { (string)e[1], "echo done-$((7*6))" }), "exit"],
            executed.Select(c => c.CommandLine));
    }
}
