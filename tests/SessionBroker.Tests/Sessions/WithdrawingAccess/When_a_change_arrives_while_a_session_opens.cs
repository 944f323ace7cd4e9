using Gatehouse.SessionBroker.Sessions;
using Gatehouse.SessionBroker.Sessions.WithdrawingAccess;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gatehouse.SessionBroker.Tests.Sessions.WithdrawingAccess;

/// <summary>A session still being decided is in no list when a change arrives: it asks for the changes since its decision.</summary>
public class When_a_change_arrives_while_a_session_opens
{
    private readonly LiveSessions _live = new(NullLogger<LiveSessions>.Instance);

    [Fact]
    public async Task Should_give_the_changes_since_the_decision_in_order()
    {
        var seen = _live.AccessChanges;
        Assert.Empty(_live.ChangesSince(seen)!);

        await _live.WithdrawAsync(new UserWithdrawn("alice", "user disabled"), CancellationToken.None);
        var afterFirst = _live.AccessChanges;
        await _live.WithdrawAsync(new GrantWithdrawn(Guid.Empty), CancellationToken.None);

        Assert.Equal([new UserWithdrawn("alice", "user disabled"), new GrantWithdrawn(Guid.Empty)], _live.ChangesSince(seen));
        Assert.Equal([new GrantWithdrawn(Guid.Empty)], _live.ChangesSince(afterFirst));
        Assert.Empty(_live.ChangesSince(_live.AccessChanges)!);
    }

    [Fact]
    public async Task Should_say_so_when_the_changes_since_were_forgotten()
    {
        var seen = _live.AccessChanges;
        for (var i = 0; i < 300; i++)
        {
            await _live.WithdrawAsync(new TargetWithdrawn($"t{i}"), CancellationToken.None);
        }

        // The session then asks Authorization again rather than guess.
        Assert.Null(_live.ChangesSince(seen));
        Assert.Equal([new TargetWithdrawn("t299")], _live.ChangesSince(_live.AccessChanges - 1));
    }

    [Fact]
    public async Task Should_make_sessions_fetch_their_policies_again_when_roles_change()
    {
        var policies = _live.PolicyChanges;

        await _live.WithdrawAsync(new MembershipChanged("alice", ["user"], DateTimeOffset.UnixEpoch, "roles changed"), CancellationToken.None);

        Assert.Equal(policies + 1, _live.PolicyChanges);
    }
}
