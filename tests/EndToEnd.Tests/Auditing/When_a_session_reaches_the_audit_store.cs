using System.Diagnostics;
using System.Text;
using Gatehouse.Contracts;
using Gatehouse.EndToEnd.Tests.Support;
using Gatehouse.TestSupport;

namespace Gatehouse.EndToEnd.Tests.Auditing;

[Collection(GatehouseCollection.Name)]
public sealed class When_a_session_reaches_the_audit_store(GatehouseStack stack, AnAuditStoreOnTheBus audit) : IClassFixture<AnAuditStoreOnTheBus>
{
    [Fact]
    public async Task Should_hold_every_event_of_the_session_in_the_order_they_happened()
    {
        var (user, target, _) = await stack.AUserWithAGrantAsync("audited", "audited");
        await stack.DenyCommandsAsync("no-recursive-delete", "rm -rf *");

        var typed = Encoding.UTF8.GetBytes("echo one\rrm -rf /tmp/nothing-here\recho two\rexit\r");
        var result = await OpenSsh.SshAsync(stack, user, target, null, typed, ["-tt"]);
        Assert.Contains("two", result.Text);

        var started = (SessionStarted)(await stack.BrokerEventsAsync(e => e is SessionStarted s && s.UserName == user.Name)).Single();
        var session = await stack.SessionEventsAsync(started.SessionId);
        Assert.Equal(
            [typeof(SessionStarted), typeof(CommandExecuted), typeof(CommandBlocked), typeof(CommandExecuted), typeof(CommandExecuted), typeof(SessionEnded)],
            session.Select(e => e.GetType()));

        var expected = session.Select(e => e.EventId).ToList();
        var clock = Stopwatch.StartNew();
        IReadOnlyList<Guid> stored = [];
        while (clock.Elapsed < TimeSpan.FromSeconds(60) && stored.Count < expected.Count)
        {
            await Task.Delay(250);
            stored = await audit.StoredAsync(expected);
        }

        Assert.Equal(expected, stored);
    }

    [Fact]
    public async Task Should_keep_a_live_session_working_through_a_bus_outage_and_deliver_its_events_after()
    {
        var (user, target, _) = await stack.AUserWithAGrantAsync("outage", "outage");
        await using var ssh = InteractiveSsh.Start(stack, user, target);
        await ssh.TypeAsync("echo before-$((1+1))\r");
        await ssh.WaitForAsync("before-2");

        // Output keeps the session from going idle (8 s here) while the broker stops.
        await ssh.TypeAsync("for i in $(seq 1 60); do sleep 0.5; echo tick$i; done\r");
        await Infrastructure.StopRabbitMqAsync();
        try
        {
            // Typed while the loop runs: the gateway records it now, bash runs it when the loop ends.
            await ssh.TypeAsync("echo during-$((2+2))\r");
            await ssh.WaitForAsync("during-4");
            await ssh.TypeAsync("exit\r");
            Assert.Equal(0, await ssh.WaitForExitAsync());
        }
        finally
        {
            await Infrastructure.StartRabbitMqAsync();
        }

        var started = (SessionStarted)(await stack.BrokerEventsAsync(e => e is SessionStarted s && s.UserName == user.Name)).Single();
        var session = await stack.SessionEventsAsync(started.SessionId);
        Assert.Equal(["echo before-$((1+1))", "for i in $(seq 1 60); do sleep 0.5; echo tick$i; done", "echo during-$((2+2))", "exit"],
            session.OfType<CommandExecuted>().Select(c => c.CommandLine));
        Assert.Single(session.OfType<SessionEnded>());

        var expected = session.Select(e => e.EventId).ToList();
        var clock = Stopwatch.StartNew();
        IReadOnlyList<Guid> stored = [];
        while (clock.Elapsed < TimeSpan.FromSeconds(90) && stored.Count < expected.Count)
        {
            await Task.Delay(500);
            stored = await audit.StoredAsync(expected);
        }

        Assert.Equal(expected, stored);

        // And new logins work again once every service is back on the bus.
        var again = Stopwatch.StartNew();
        ProcessResult probe;
        do
        {
            probe = await OpenSsh.SshAsync(stack, user, target, "echo back");
        }
        while (probe.ExitCode != 0 && again.Elapsed < TimeSpan.FromSeconds(90));

        Assert.Equal("back\n", probe.Text);
    }
}
