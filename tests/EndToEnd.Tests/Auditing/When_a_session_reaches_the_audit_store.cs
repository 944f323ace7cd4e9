using System.Diagnostics;
using System.Text;
using Gatehouse.Contracts;
using Gatehouse.EndToEnd.Tests.Support;

namespace Gatehouse.EndToEnd.Tests.Auditing;

[Collection(GatehouseCollection.Name)]
public sealed class When_a_session_reaches_the_audit_store(GatehouseStack stack, AuditServiceFixture audit) : IClassFixture<AuditServiceFixture>
{
    [Fact]
    public async Task Should_hold_every_event_of_the_session_in_the_order_they_happened()
    {
        var user = await stack.CreateUserAsync("audited");
        var target = await stack.RegisterTargetAsync("audited");
        await stack.GrantAsync(user, target);
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
}
