using System.Diagnostics;
using System.Text;
using Gatehouse.Contracts;
using Gatehouse.Contracts.Sessions;
using Gatehouse.EndToEnd.Tests.Support;
using Gatehouse.SessionBroker.Sessions;
using Microsoft.Extensions.DependencyInjection;

namespace Gatehouse.EndToEnd.Tests.Controlling;

[Collection(GatehouseCollection.Name)]
public sealed class When_a_session_is_terminated(GatehouseStack stack)
{
    [Fact]
    public async Task Should_end_it_within_a_second_of_the_bus_command_and_tell_the_user()
    {
        var (user, target, _) = await stack.AUserWithAGrantAsync("term", "long");
        var live = stack.Broker.GetRequiredService<LiveSessions>();

        var ssh = OpenSsh.SshAsync(stack, user, target, "echo started; sleep 60", timeout: TimeSpan.FromSeconds(30));
        var session = Assert.Single(await stack.LiveSessionsAsync(user));

        var listed = await stack.BrokerAdmin.GetStringAsync("api/sessions");
        Assert.Contains(session.SessionId.ToString(), listed);

        var clock = Stopwatch.StartNew();
        // Any system on the bus may say why: what it says must not drive the user's terminal (here, set its title).
        await stack.Bus.Publish(new TerminateSession(session.SessionId, "soc-oncall", "suspicious activity\u001b]0;owned\u0007"));
        var result = await ssh;
        var userLetGo = DateTimeOffset.UtcNow;
        clock.Stop();

        Assert.Equal(255, result.ExitCode);
        Assert.Equal("started\n", result.Text);
        Assert.Contains("terminated by soc-oncall: suspicious activity?]0;owned?", result.Error);
        Assert.DoesNotContain('\u001b', result.Error);
        var events = await stack.SessionEventsAsync(session.SessionId);
        var terminated = events.OfType<SessionTerminated>().Single();
        // The README's promise, from the gateway taking the command (its SessionTerminated) to the user's ssh having exited;
        // the bus's delivery before that is RabbitMQ's (on a loaded CI machine the whole took 1.01 s once). It took just
        // over a second while the gateway waited for the target to acknowledge closing a channel whose command still ran
        // (SSH.NET waits a second for that) before it let the user go.
        Assert.True(userLetGo - terminated.OccurredAt < TimeSpan.FromSeconds(1),
            $"took {userLetGo - terminated.OccurredAt} from the gateway's taking the command, {clock.Elapsed} from its publication");
        Assert.Equal("soc-oncall", terminated.TerminatedBy);
        Assert.Equal(SessionEndReason.Terminated, events.OfType<SessionEnded>().Single().EndReason);
        Assert.DoesNotContain(live.List(), s => s.UserName == user.Name);
    }

    [Fact]
    public async Task Should_end_it_when_several_gateway_instances_run()
    {
        // Every instance receives the command; with one shared queue the other instance would take every second one.
        await using var other = stack.StartAnotherBroker();
        var (user, target, _) = await stack.AUserWithAGrantAsync("term2", "ha");

        var connections = Enumerable.Range(0, 3)
            .Select(_ => OpenSsh.SshAsync(stack, user, target, "echo started; sleep 60", timeout: TimeSpan.FromSeconds(30)))
            .ToList();
        var sessions = await stack.LiveSessionsAsync(user, count: 3);

        var clock = Stopwatch.StartNew();
        foreach (var session in sessions)
        {
            await stack.Bus.Publish(new TerminateSession(session.SessionId, "soc-oncall", "suspicious activity"));
        }

        var results = await Task.WhenAll(connections);
        clock.Stop();

        // Three commands and three ssh clients winding down on a loaded machine; the message shows the terminate ended
        // each session (before the fix the instance without them took some, and the idle timeout ended those).
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3), $"took {clock.Elapsed}");
        Assert.All(results, result => Assert.Contains("terminated by soc-oncall: suspicious activity", result.Error));
        Assert.Empty(other.Services.GetRequiredService<LiveSessions>().List());
    }
}
