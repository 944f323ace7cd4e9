using System.Diagnostics;
using System.Net;
using Gatehouse.Contracts;
using Gatehouse.EndToEnd.Tests.Support;

namespace Gatehouse.EndToEnd.Tests.Refusing;

/// <summary>
/// The SessionBroker's PostgreSQL is cut away (through the test's relay; the server itself keeps running for
/// everyone else): nothing could be recorded, so nothing may reach a target.
/// </summary>
public sealed class When_the_session_store_is_unreachable(StackWithCuttableDatabase fixture) : IClassFixture<StackWithCuttableDatabase>
{
    private const string Refusal = "gatehouse: the session cannot be recorded right now (the session store is unavailable), so it is refused";

    private GatehouseStack Stack => fixture.Stack;

    [Fact]
    public async Task Should_refuse_new_sessions_with_one_clear_line_and_accept_them_again_once_it_is_back()
    {
        var (user, target, _) = await Stack.AUserWithAGrantAsync("storedown", "storedown");
        var before = await OpenSsh.SshAsync(Stack, user, target, "echo before");
        Assert.True(before.ExitCode == 0, before.Error);

        var marker = Path.Combine(Stack.Target.Directory, $"unrecorded-{Guid.NewGuid():N}");
        var seenByTarget = Stack.Target.Log.Count;
        ProcessResult refused;
        HttpStatusCode health;
        fixture.Relay.Cut();
        try
        {
            refused = await OpenSsh.SshAsync(Stack, user, target, $"touch {marker}", timeout: TimeSpan.FromSeconds(90));
            health = (await Stack.BrokerAdmin.GetAsync("health")).StatusCode;
        }
        finally
        {
            fixture.Relay.Restore();
        }

        Assert.True(refused.ExitCode == 1, $"exit {refused.ExitCode}: {refused.Error}");
        Assert.Equal(Refusal, Assert.Single(refused.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries)));
        Assert.Empty(refused.Text);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, health);
        Assert.False(File.Exists(marker), "the command ran on the target");
        Assert.DoesNotContain(Stack.Target.Log.Skip(seenByTarget), line => line.Contains("Connection from") || line.Contains("Accepted"));

        // Back: the pool's connections died with the cut, new ones go through the restored relay.
        var clock = Stopwatch.StartNew();
        ProcessResult after;
        do
        {
            after = await OpenSsh.SshAsync(Stack, user, target, "echo after");
        }
        while (after.ExitCode != 0 && clock.Elapsed < TimeSpan.FromSeconds(60));

        Assert.True(after.ExitCode == 0, after.Error);
        Assert.Equal("after\n", after.Text);
        var started = await Stack.BrokerEventsAsync(e => e is SessionStarted s && s.UserName == user.Name);
        Assert.Equal(2, started.Count);
    }

    [Fact]
    public async Task Should_not_run_a_command_typed_in_a_live_session_while_it_cannot_be_recorded()
    {
        var (user, target, _) = await Stack.AUserWithAGrantAsync("livecut", "livecut");
        await using var ssh = InteractiveSsh.Start(Stack, user, target);
        await ssh.TypeAsync("echo ready-$((2*4))\r");
        await ssh.WaitForAsync("ready-8");
        var marker = Path.Combine(Stack.Target.Directory, $"unrecorded-{Guid.NewGuid():N}");

        fixture.Relay.Cut();
        try
        {
            await ssh.TypeAsync($"touch {marker}\r");
            await ssh.WaitForAsync("gatehouse: the command could not be recorded (the session store is unavailable), so it was not run");
        }
        finally
        {
            fixture.Relay.Restore();
        }

        // The line was cancelled on the target, and the session goes on once commands can be recorded again.
        var clock = Stopwatch.StartNew();
        while (!ssh.Output.Contains("again-9") && clock.Elapsed < TimeSpan.FromSeconds(30))
        {
            await ssh.TypeAsync("echo again-$((3*3))\r");
            await Task.Delay(500);
        }

        await ssh.WaitForAsync("again-9");
        await ssh.TypeAsync("exit\r");
        Assert.Equal(0, await ssh.WaitForExitAsync());
        Assert.False(File.Exists(marker), "the unrecorded command ran on the target");
        var started = (SessionStarted)(await Stack.BrokerEventsAsync(e => e is SessionStarted s && s.UserName == user.Name)).Single();
        var commands = (await Stack.SessionEventsAsync(started.SessionId)).OfType<CommandExecuted>().Select(c => c.CommandLine).ToList();
        Assert.DoesNotContain(commands, c => c.Contains("touch"));
        Assert.Equal("echo ready-$((2*4))", commands[0]);
        Assert.Contains("echo again-$((3*3))", commands);
    }
}
