using Gatehouse.Authorization.Grants;
using Gatehouse.Authorization.Grants.RevokingGrant;
using Gatehouse.Contracts;
using Gatehouse.ServiceDefaults.Http;

namespace Gatehouse.Authorization.Tests.Grants.RevokingGrant;

/// <summary>The revocation decided on the grant as stored, with no store.</summary>
public class When_an_admin_revokes_a_grant
{
    private static readonly DateTimeOffset Now = new(2026, 12, 5, 0, 30, 0, TimeSpan.Zero);
    private static readonly ApiCaller Admin = new("olga", "10.0.0.9", "trace-1", Now);
    private static readonly Guid EventId = Guid.Parse("0193a1b2-0000-7000-8000-00000000000a");

    private static Grant Issued() => new(Guid.NewGuid(), GrantSubjectKind.Role, "dba", ["db01"], new Dictionary<string, string>(), ["postgres"],
        [], null, [], null, false, false, null, Now.AddDays(-1), "root-admin");

    [Fact]
    public void Should_revoke_a_live_grant_for_its_subject_as_the_admin_at_the_time_given()
    {
        var grant = Issued();

        var revoked = RevokeGrant.Decide(grant, "left the team", Admin, EventId, Now);

        Assert.Equal(new GrantRevoked(grant.Id, GrantSubjectKind.Role, "dba", "left the team", "olga", "10.0.0.9", "trace-1", EventId, Now),
            revoked);
    }

    [Fact]
    public void Should_change_nothing_when_the_grant_is_already_revoked() =>
        Assert.Null(RevokeGrant.Decide(Issued() with { RevokedAt = Now.AddHours(-1), RevokedBy = "sam" }, "again", Admin, EventId, Now));
}
