using System.Diagnostics;
using Gatehouse.Contracts;
using Gatehouse.EndToEnd.Tests.Support;

namespace Gatehouse.EndToEnd.Tests.Sessions;

/// <summary>
/// The target's sshd dies (a reboot, a crash) while a session and a forward run through the gateway: both end at once
/// with a clear reason on record, rather than waiting for the idle timeout as if the user had gone quiet.
/// </summary>
[Collection(GatehouseCollection.Name)]
public sealed class When_the_target_goes_away(GatehouseStack stack)
{
    [Fact]
    public async Task Should_end_the_session_saying_the_target_was_lost()
    {
        await using var doomed = await DoomedTargetAsync();
        var (user, target, _) = await stack.AUserWithAGrantAsync("lost", "lost", on: doomed);
        var ssh = OpenSsh.SshAsync(stack, user, target, "echo started; sleep 120", timeout: TimeSpan.FromSeconds(60));
        var session = Assert.Single(await stack.LiveSessionsAsync(user));

        var clock = Stopwatch.StartNew();
        await doomed.DisposeAsync();
        var result = await ssh;

        Assert.Equal(255, result.ExitCode);
        Assert.Equal("started\n", result.Text);
        Assert.Contains("gatehouse: the connection to the target was lost", result.Error);
        Assert.True(clock.Elapsed < stack.IdleTimeout, $"the user was let go {clock.Elapsed} after the target went away");
        var ended = (await stack.SessionEventsAsync(session.SessionId)).OfType<SessionEnded>().Single();
        Assert.Equal(SessionEndReason.TargetLost, ended.EndReason);
        Assert.NotNull(ended.RecordingSha256);
    }

    [Fact]
    public async Task Should_end_an_open_forward_as_failed()
    {
        await using var doomed = await DoomedTargetAsync();
        var user = await stack.CreateUserAsync("lostfwd");
        var target = await stack.RegisterTargetAsync("lostfwd", on: doomed);
        await using var forward = await OpenedForward.OpenAsync(stack, user, target);
        await forward.OpenedAsync();

        var clock = Stopwatch.StartNew();
        await doomed.DisposeAsync();
        var closed = (ForwardingClosed)await stack.BrokerEventEventuallyAsync(e => e is ForwardingClosed { BytesFromClient: 4 } c && c.UserName == user.Name);

        Assert.Equal(ForwardingEndReason.Failed, closed.EndReason);
        // ssh ends the connection through the forward, with a reset as often as not.
        var ended = await Record.ExceptionAsync(async () =>
            Assert.Equal(0, await forward.Client.GetStream().ReadAsync(new byte[1]).AsTask().WaitAsync(TimeSpan.FromSeconds(30))));
        Assert.True(ended is null or IOException, $"the connection through the forward did not end: {ended}");
        Assert.True(clock.Elapsed < stack.IdleTimeout, $"the forward ended {clock.Elapsed} after the target went away");
    }

    /// <summary>An sshd of the test's own, which it can kill without touching the stack's shared target.</summary>
    private async Task<SshTarget> DoomedTargetAsync() =>
        await SshTarget.StartAsync(Path.Combine(stack.Work, $"doomed-{Guid.NewGuid():N}"), await File.ReadAllTextAsync(stack.VaultKey + ".pub"));
}
