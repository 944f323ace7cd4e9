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
        var user = await Stack.CreateUserAsync("storedown");
        var target = await Stack.RegisterTargetAsync("storedown");
        await Stack.GrantAsync(user, target);
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
}
