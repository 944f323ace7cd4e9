using Gatehouse.Contracts;
using Gatehouse.Contracts.Authorization;
using Gatehouse.SessionBroker.Connecting;
using Gatehouse.SessionBroker.Gateway;
using Gatehouse.SessionBroker.Sessions;
using Gatehouse.SessionBroker.Sessions.WithdrawingAccess;
using Gatehouse.SessionBroker.Targets;
using Gatehouse.Ssh;
using MassTransit;

namespace Gatehouse.SessionBroker.Tests.Gateway;

public sealed class When_a_session_channel_is_prepared
{
    private int _decisionsAsked;

    private static SignedInUser Alice()
    {
        GatewayUserName.TryParse("alice:deploy@web01", out var name, out _);
        return new SignedInUser(Guid.NewGuid(), name!, SshAuthMethods.PublicKey, "SHA256:abc", false, [], "192.0.2.7");
    }

    private static ConnectionAccess AccessFor(SignedInUser user, GatewayBus bus) =>
        new(user, bus.Services, new TargetConnector(bus.Services, user, SessionEvents.For(user, TimeProvider.System), user.ConnectionId));

    private Task<GatewayBus> AuthorizationRefusingAsync() => GatewayBus.StartAsync(x => x.AddHandler<CheckAccess>(ctx =>
    {
        Interlocked.Increment(ref _decisionsAsked);
        return ctx.RespondAsync(new AccessRefused(Guid.NewGuid(), ctx.Message.UserName, ctx.Message.Target, ctx.Message.Login,
            AccessDenialReason.NoMatchingGrant, "no grant for alice on web01"));
    }));

    [Fact]
    public async Task Should_refuse_what_Authorization_refuses_telling_the_user_less_than_the_record_keeps()
    {
        await using var bus = await AuthorizationRefusingAsync();
        await using var access = AccessFor(Alice(), bus);

        var (prepared, refusal) = await access.PrepareSessionAsync(CancellationToken.None);

        Assert.Null(prepared);
        Assert.Equal(SessionRefusalReason.AccessRefused, refusal!.Reason);
        Assert.Equal($"gatehouse: access to web01 as deploy is refused: {AccessRefused.NotCovered}", refusal.Message);
        Assert.Equal("gatehouse: access to web01 as deploy is refused (NoMatchingGrant): no grant for alice on web01", refusal.Recorded);
    }

    [Fact]
    public async Task Should_ask_Authorization_for_every_session_channel()
    {
        await using var bus = await AuthorizationRefusingAsync();
        await using var access = AccessFor(Alice(), bus);

        await access.PrepareSessionAsync(CancellationToken.None);
        await access.PrepareSessionAsync(CancellationToken.None);

        Assert.Equal(2, _decisionsAsked);
    }

    [Fact]
    public async Task Should_take_the_answer_asked_at_sign_in_for_the_first_channel_only()
    {
        await using var bus = await AuthorizationRefusingAsync();
        await using var access = AccessFor(Alice(), bus);

        access.PrepareEarly();
        await access.PrepareSessionAsync(CancellationToken.None);
        Assert.Equal(1, _decisionsAsked);

        await access.PrepareSessionAsync(CancellationToken.None);
        Assert.Equal(2, _decisionsAsked);
    }

    [Fact]
    public async Task Should_ask_again_when_access_changed_after_sign_in()
    {
        await using var bus = await AuthorizationRefusingAsync();
        await using var access = AccessFor(Alice(), bus);
        access.PrepareEarly();
        await WaitUntil(() => _decisionsAsked == 1);

        await bus.Services.Live.WithdrawAsync(new TargetWithdrawn("db01"), CancellationToken.None);
        await access.PrepareSessionAsync(CancellationToken.None);

        Assert.Equal(2, _decisionsAsked);
    }

    [Fact]
    public async Task Should_refuse_every_new_channel_once_the_users_access_was_withdrawn_without_asking()
    {
        await using var bus = await AuthorizationRefusingAsync();
        await using var access = AccessFor(Alice(), bus);

        access.Apply(new UserWithdrawn("alice", "user disabled"));
        var (_, refusal) = await access.PrepareSessionAsync(CancellationToken.None);

        Assert.Equal("gatehouse: access to web01 as deploy is refused: user disabled while this connection was open", refusal!.Recorded);
        Assert.Equal(0, _decisionsAsked);
        Assert.Equal("user disabled", access.Withdrawn);
    }

    [Fact]
    public async Task Should_refuse_when_Authorization_does_not_answer_in_time()
    {
        await using var bus = await GatewayBus.StartAsync(_ => { }, TimeSpan.FromMilliseconds(300));
        await using var access = AccessFor(Alice(), bus);

        var (_, refusal) = await access.PrepareSessionAsync(CancellationToken.None);

        Assert.Equal(SessionRefusalReason.DecisionUnavailable, refusal!.Reason);
    }

    [Fact]
    public async Task Should_refuse_an_allowed_session_whose_command_policies_cannot_be_fetched()
    {
        await using var bus = await GatewayBus.StartAsync(x => x.AddHandler<CheckAccess>(ctx => ctx.RespondAsync(new AccessAllowed(
            Guid.NewGuid(), ctx.Message.UserName, ctx.Message.Target, "10.0.0.5", 22, null, ctx.Message.Login, Guid.NewGuid(), null, null, false))),
            TimeSpan.FromSeconds(2));
        await using var access = AccessFor(Alice(), bus);

        var (prepared, refusal) = await access.PrepareSessionAsync(CancellationToken.None);

        Assert.Null(prepared);
        Assert.Equal(SessionRefusalReason.DecisionUnavailable, refusal!.Reason);
        Assert.Contains("command policies", refusal.Message);
        Assert.Equal("web01", refusal.Access!.Target);
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (!condition() && waited.Elapsed < TimeSpan.FromSeconds(20))
        {
            await Task.Delay(10);
        }

        Assert.True(condition());
    }
}
