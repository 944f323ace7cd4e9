using Gatehouse.Contracts;
using Gatehouse.Contracts.Authorization;
using Gatehouse.SessionBroker.Sessions;

namespace Gatehouse.SessionBroker.Tests.Sessions;

public sealed class When_a_session_event_is_stamped
{
    private static readonly DateTimeOffset Now = new(2026, 12, 4, 18, 0, 0, TimeSpan.Zero);
    private readonly ManualClock _clock = new(Now);
    private readonly SessionEvents _events;
    private readonly Guid _session = Guid.NewGuid();

    private static readonly AccessAllowed Access = new(Guid.NewGuid(), "alice", "web01", "10.0.0.5", 22, null, "deploy", Guid.NewGuid(), null, null, false);

    public When_a_session_event_is_stamped() => _events = new SessionEvents("alice", "192.0.2.7", "corr-1", _clock);

    [Fact]
    public void Should_carry_the_user_as_actor_the_source_the_correlation_and_the_clocks_time()
    {
        var executed = _events.Executed(_session, 3, Access, "ls", CommandCapture.InteractiveLine, null);

        Assert.Equal(("alice", "alice", "192.0.2.7", "corr-1", Now), (executed.UserName, executed.Actor, executed.SourceAddress,
            executed.CorrelationId, executed.OccurredAt));
        Assert.Equal(("web01", "deploy", 3), (executed.Target, executed.Login, executed.Sequence));
        Assert.Equal(7, executed.EventId.Version);
    }

    [Fact]
    public void Should_give_every_event_its_own_id_in_time_order()
    {
        var first = _events.Refused(_session, "web01", "deploy", SessionRefusalReason.AccessRefused, "no grant");
        _clock.Set(Now.AddSeconds(1));
        var second = _events.Terminated(_session, Access, "bob", "incident");

        Assert.NotEqual(first.EventId, second.EventId);
        Assert.True(first.EventId.CompareTo(second.EventId) < 0);
        Assert.Equal(Now.AddSeconds(1), second.OccurredAt);
    }

    [Fact]
    public void Should_record_who_terminated_a_session_as_its_actor()
    {
        var terminated = _events.Terminated(_session, Access, "bob", "incident");

        Assert.Equal(("alice", "bob", "bob"), (terminated.UserName, terminated.TerminatedBy, terminated.Actor));
    }

    [Fact]
    public void Should_name_a_line_refused_without_a_policy_an_unverifiable_line()
    {
        var blocked = _events.Blocked(_session, 1, Access, "ls\t", "ls\t", null, CommandCapture.InteractiveLine, null);

        Assert.Equal(("unverifiable-line", Guid.Empty, CommandPolicyAction.Deny), (blocked.PolicyName, blocked.PolicyId, blocked.Action));
    }

    [Fact]
    public void Should_start_a_session_at_the_time_given_with_the_targets_address()
    {
        var client = new SshAlgorithms("mlkem768x25519-sha256", "chacha20-poly1305@openssh.com", "ssh-ed25519");
        var target = new SshAlgorithms("sntrup761x25519-sha512", "aes256-gcm@openssh.com", "ssh-ed25519");
        var started = _events.Started(_session, Access, SessionKind.Shell, Now.AddMinutes(-1), client, target);

        Assert.Equal(("10.0.0.5:22", Now.AddMinutes(-1)), (started.TargetAddress, started.OccurredAt));
        Assert.Equal((client, target), (started.ClientSsh, started.TargetSsh));
    }
}
