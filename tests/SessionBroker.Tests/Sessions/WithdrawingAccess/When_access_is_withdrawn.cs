using Gatehouse.SessionBroker.Sessions.WithdrawingAccess;

namespace Gatehouse.SessionBroker.Tests.Sessions.WithdrawingAccess;

public class When_access_is_withdrawn
{
    private static readonly Guid Grant = Guid.NewGuid();
    private const string Key = "SHA256:uNiVztksCsDhcc0u9e8BujQXVUpKZIDTMczCvj3tD2s";

    private static readonly ReliedAccess Session = new("alice", Key, "web01", Grant);
    private static readonly ReliedAccess Connection = new("alice", Key, "web01", null);

    [Theory]
    [InlineData("alice")]
    [InlineData("Alice")]
    public void Should_end_every_session_and_connection_of_a_disabled_user(string named)
    {
        var change = new UserWithdrawn(named, "user disabled");

        Assert.Equal(new Withdrawal(WithdrawalAction.End, "user disabled"), AccessWithdrawals.For(Session, change));
        Assert.Equal(new Withdrawal(WithdrawalAction.End, "user disabled"), AccessWithdrawals.For(Connection, change));
        Assert.Equal(Withdrawal.Unaffected, AccessWithdrawals.For(Session with { UserName = "bob" }, change));
    }

    [Fact]
    public void Should_end_only_what_signed_in_with_the_removed_key()
    {
        var change = new KeyWithdrawn("alice", Key);

        Assert.Equal(new Withdrawal(WithdrawalAction.End, $"key {Key} removed"), AccessWithdrawals.For(Session, change));
        Assert.Equal(WithdrawalAction.End, AccessWithdrawals.For(Connection, change).Action);
        // Base64 is case-sensitive: another key; a password login has no key; the same key text under another user is not hers.
        Assert.Equal(Withdrawal.Unaffected, AccessWithdrawals.For(Session, new KeyWithdrawn("alice", Key.ToLowerInvariant().Replace("sha256", "SHA256"))));
        Assert.Equal(Withdrawal.Unaffected, AccessWithdrawals.For(Session with { KeyFingerprint = null }, change));
        Assert.Equal(Withdrawal.Unaffected, AccessWithdrawals.For(Session, new KeyWithdrawn("bob", Key)));
    }

    [Fact]
    public void Should_end_the_sessions_under_a_revoked_grant_and_leave_the_connection_to_decide_per_session()
    {
        var change = new GrantWithdrawn(Grant);

        Assert.Equal(new Withdrawal(WithdrawalAction.End, $"grant {Grant} revoked"), AccessWithdrawals.For(Session, change));
        Assert.Equal(Withdrawal.Unaffected, AccessWithdrawals.For(Session with { GrantId = Guid.NewGuid() }, change));
        Assert.Equal(Withdrawal.Unaffected, AccessWithdrawals.For(Connection, change));
    }

    [Fact]
    public void Should_end_the_sessions_on_a_removed_target()
    {
        Assert.Equal(new Withdrawal(WithdrawalAction.End, "target WEB01 removed"), AccessWithdrawals.For(Session, new TargetWithdrawn("WEB01")));
        Assert.Equal(Withdrawal.Unaffected, AccessWithdrawals.For(Session, new TargetWithdrawn("web02")));
    }

    [Fact]
    public void Should_check_again_the_sessions_of_a_user_whose_roles_changed()
    {
        var change = new MembershipChanged("alice", ["user"], DateTimeOffset.UnixEpoch, "roles changed");

        Assert.Equal(new Withdrawal(WithdrawalAction.Recheck, "roles changed"), AccessWithdrawals.For(Session, change));
        Assert.Equal(Withdrawal.Unaffected, AccessWithdrawals.For(Session with { UserName = "bob" }, change));
    }

    [Fact]
    public void Should_end_rather_than_recheck_when_several_changes_came_at_once()
    {
        var changes = new AccessChange[]
        {
            new MembershipChanged("alice", null, DateTimeOffset.UnixEpoch, "removed from role ops"),
            new GrantWithdrawn(Guid.NewGuid()),
            new GrantWithdrawn(Grant),
        };

        Assert.Equal(new Withdrawal(WithdrawalAction.End, $"grant {Grant} revoked"), AccessWithdrawals.For(Session, changes));
        Assert.Equal(WithdrawalAction.Recheck, AccessWithdrawals.For(Session, changes[..2]).Action);
        Assert.Equal(Withdrawal.Unaffected, AccessWithdrawals.For(Session, changes[1..2]));
        Assert.Equal(Withdrawal.Unaffected, AccessWithdrawals.For(Session, []));
    }
}
