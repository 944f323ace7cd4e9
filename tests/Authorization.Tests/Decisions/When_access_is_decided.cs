using Gatehouse.Authorization.Decisions;
using Gatehouse.Authorization.Grants;
using Gatehouse.Authorization.Targets;
using Gatehouse.Contracts;
using Gatehouse.Contracts.Authorization;

namespace Gatehouse.Authorization.Tests.Decisions;

/// <summary>The pure decision as a table: one world of targets and grants, one row per question and its expected answer.</summary>
public class When_access_is_decided
{
    private static readonly DateTimeOffset Issued = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly DayOfWeek[] Weekdays =
        [DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday];

    private static readonly Target Web01 = Target("web01", new() { ["env"] = "prod", ["team"] = "web" }, "deploy", "root");
    private static readonly Target Db01 = Target("db01", new() { ["env"] = "prod", ["team"] = "db" }, "postgres", "root");
    private static readonly Target Dev01 = Target("dev01", new() { ["env"] = "dev", ["team"] = "web" }, "deploy");
    private static readonly Target Night01 = Target("night01", new() { ["env"] = "batch" }, "ops");
    private static readonly Target Ny01 = Target("ny01", new() { ["site"] = "nyc" }, "ops");
    private static readonly Target Net01 = Target("net01", new() { ["zone"] = "dmz" }, "admin");
    private static readonly Target Mfa01 = Target("mfa01", new() { ["tier"] = "crown" }, "admin");

    private static readonly AccessIndex World = AccessIndex.Build(
        [Web01, Db01, Dev01, Night01, Ny01, Net01, Mfa01],
        [
            Grant(GrantSubjectKind.User, "alice", names: ["web01"], logins: ["deploy"]),
            Grant(GrantSubjectKind.Role, "dba", labels: new() { ["team"] = "db" }, logins: ["postgres"]),
            Grant(GrantSubjectKind.Role, "developers", labels: new() { ["env"] = "dev" }, logins: ["*"]),
            // Berlin office hours on weekdays.
            Grant(GrantSubjectKind.User, "bob", names: ["web01"], logins: ["deploy"],
                windows: [new GrantTimeWindow("Europe/Berlin", Weekdays, new TimeOnly(8, 0), new TimeOnly(18, 0))]),
            // A night shift that crosses midnight: Friday 22:00 to Saturday 06:00, Berlin time.
            Grant(GrantSubjectKind.User, "nina", names: ["night01"], logins: ["ops"],
                windows: [new GrantTimeWindow("Europe/Berlin", [DayOfWeek.Friday], new TimeOnly(22, 0), new TimeOnly(6, 0))]),
            Grant(GrantSubjectKind.User, "nico", names: ["ny01"], logins: ["ops"],
                windows: [new GrantTimeWindow("America/New_York", Weekdays, new TimeOnly(9, 0), new TimeOnly(17, 0))]),
            Grant(GrantSubjectKind.User, "carol", names: ["web01"], logins: ["deploy"], expires: Issued.AddDays(30)),
            Grant(GrantSubjectKind.User, "dave", labels: new() { ["zone"] = "dmz" }, logins: ["admin"],
                cidrs: ["10.20.0.0/16", "2001:db8:42::/48"]),
            Grant(GrantSubjectKind.User, "erin", names: ["web01"], logins: ["deploy"]) with
            {
                RevokedAt = Issued.AddDays(1), RevokedBy = "admin", RevocationReason = "left the team",
            },
            Grant(GrantSubjectKind.User, "frank", labels: new() { ["tier"] = "crown" }, logins: ["admin"], mfa: true),
        ],
        [],
        roles: [Role("dba", "zoe"), Role("developers", "yan")]);

    // Wednesday 2026-03-11 12:00 UTC is 13:00 in Berlin and 08:00 in New York (US daylight time already, EU not yet).
    private static readonly DateTimeOffset WednesdayNoonUtc = new(2026, 3, 11, 12, 0, 0, TimeSpan.Zero);

    // The third column is the API roles the request carries (from Authentication, relayed by the gateway).
    public static TheoryData<string, string, string[], string, string, string?, bool, DateTimeOffset, AccessDenialReason?> Cases => new()
    {
        { "a user grant by target name", "alice", [], "web01", "deploy", "10.0.0.5", false, WednesdayNoonUtc, null },
        { "target names are case-insensitive", "alice", [], "WEB01", "deploy", "10.0.0.5", false, WednesdayNoonUtc, null },
        { "a grant by name does not reach another target", "alice", [], "db01", "postgres", null, false, WednesdayNoonUtc, AccessDenialReason.NoMatchingGrant },
        { "a login the grant does not list", "alice", [], "web01", "root", null, false, WednesdayNoonUtc, AccessDenialReason.LoginNotAllowed },
        { "a login the target does not have", "alice", [], "web01", "nobody", null, false, WednesdayNoonUtc, AccessDenialReason.UnknownLogin },
        { "an unknown target", "alice", [], "mainframe", "deploy", null, false, WednesdayNoonUtc, AccessDenialReason.UnknownTarget },
        { "an access role grant by label selector", "zoe", [], "db01", "postgres", null, false, WednesdayNoonUtc, null },
        { "a label selector does not match other labels", "zoe", [], "web01", "deploy", null, false, WednesdayNoonUtc, AccessDenialReason.NoMatchingGrant },
        { "an access role the user is not a member of", "kim", [], "db01", "postgres", null, false, WednesdayNoonUtc, AccessDenialReason.NoMatchingGrant },
        { "an access role's name among the request's API roles", "kim", ["dba"], "db01", "postgres", null, false, WednesdayNoonUtc,
            AccessDenialReason.NoMatchingGrant },
        { "any login by wildcard", "yan", [], "dev01", "deploy", null, false, WednesdayNoonUtc, null },
        { "inside Berlin office hours", "bob", [], "web01", "deploy", null, false, WednesdayNoonUtc, null },
        { "after Berlin office hours (18:00 Berlin is 17:00 UTC in winter)", "bob", [], "web01", "deploy", null, false,
            new DateTimeOffset(2026, 3, 11, 17, 0, 0, TimeSpan.Zero), AccessDenialReason.OutsideTimeWindow },
        { "a Saturday in Berlin", "bob", [], "web01", "deploy", null, false,
            new DateTimeOffset(2026, 3, 14, 12, 0, 0, TimeSpan.Zero), AccessDenialReason.OutsideTimeWindow },
        { "Berlin office hours in summer time (07:30 UTC is 09:30 CEST)", "bob", [], "web01", "deploy", null, false,
            new DateTimeOffset(2026, 7, 1, 7, 30, 0, TimeSpan.Zero), null },
        { "a night window on Friday before midnight", "nina", [], "night01", "ops", null, false,
            new DateTimeOffset(2026, 3, 13, 22, 30, 0, TimeSpan.Zero), null },
        { "a night window after midnight, on Saturday", "nina", [], "night01", "ops", null, false,
            new DateTimeOffset(2026, 3, 14, 4, 0, 0, TimeSpan.Zero), null },
        { "a night window closed on Saturday morning", "nina", [], "night01", "ops", null, false,
            new DateTimeOffset(2026, 3, 14, 5, 30, 0, TimeSpan.Zero), AccessDenialReason.OutsideTimeWindow },
        { "a night window not opened on Thursday", "nina", [], "night01", "ops", null, false,
            new DateTimeOffset(2026, 3, 12, 22, 30, 0, TimeSpan.Zero), AccessDenialReason.OutsideTimeWindow },
        { "New York hours read on New York's clock", "nico", [], "ny01", "ops", null, false,
            new DateTimeOffset(2026, 3, 11, 13, 30, 0, TimeSpan.Zero), null },
        { "before New York opens, while Berlin is at work", "nico", [], "ny01", "ops", null, false,
            new DateTimeOffset(2026, 3, 11, 12, 30, 0, TimeSpan.Zero), AccessDenialReason.OutsideTimeWindow },
        { "before the expiry", "carol", [], "web01", "deploy", null, false, Issued.AddDays(29), null },
        { "at the expiry", "carol", [], "web01", "deploy", null, false, Issued.AddDays(30), AccessDenialReason.GrantExpired },
        { "an IPv4 source inside the CIDR", "dave", [], "net01", "admin", "10.20.3.4", false, WednesdayNoonUtc, null },
        { "an IPv4 source outside the CIDR", "dave", [], "net01", "admin", "10.21.0.1", false, WednesdayNoonUtc, AccessDenialReason.SourceNotAllowed },
        { "an IPv4-mapped IPv6 source inside the IPv4 CIDR", "dave", [], "net01", "admin", "::ffff:10.20.9.9", false, WednesdayNoonUtc, null },
        { "an IPv6 source inside the IPv6 CIDR", "dave", [], "net01", "admin", "2001:db8:42:7::1", false, WednesdayNoonUtc, null },
        { "an IPv6 source outside the IPv6 CIDR", "dave", [], "net01", "admin", "2001:db8:43::1", false, WednesdayNoonUtc, AccessDenialReason.SourceNotAllowed },
        { "no source address where CIDRs are required", "dave", [], "net01", "admin", null, false, WednesdayNoonUtc, AccessDenialReason.SourceNotAllowed },
        { "a revoked grant", "erin", [], "web01", "deploy", null, false, WednesdayNoonUtc, AccessDenialReason.GrantRevoked },
        { "MFA required and not done", "frank", [], "mfa01", "admin", null, false, WednesdayNoonUtc, AccessDenialReason.MfaRequired },
        { "MFA required and done", "frank", [], "mfa01", "admin", null, true, WednesdayNoonUtc, null },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Should_answer_each_case_with_its_reason(string scenario, string user, string[] apiRoles, string target,
        string login, string? source, bool mfa, DateTimeOffset now, AccessDenialReason? expected)
    {
        var verdict = AccessDecider.Decide(new CheckAccess(user, apiRoles, target, login, source, mfa, "test"), World, now);

        switch (expected)
        {
            case null:
                Assert.True(verdict is AccessAllowedBy, $"{scenario}: expected allowed, got {verdict}");
                break;
            default:
                var refused = Assert.IsType<AccessRefusedFor>(verdict);
                Assert.True(expected == refused.Reason, $"{scenario}: expected {expected}, got {refused.Reason} ({refused.Detail})");
                Assert.False(string.IsNullOrWhiteSpace(refused.Detail));
                break;
        }
    }

    public static TheoryData<string, string, string, AccessDenialReason> WithoutAGrant => new()
    {
        { "an unknown target", "mainframe", "deploy", AccessDenialReason.UnknownTarget },
        { "an existing target without a grant", "db01", "postgres", AccessDenialReason.NoMatchingGrant },
        { "an unknown login on a target without a grant", "db01", "nobody", AccessDenialReason.UnknownLogin },
    };

    [Theory]
    [MemberData(nameof(WithoutAGrant))]
    public void Should_tell_a_user_without_a_grant_the_same_whatever_exists(string scenario, string target, string login,
        AccessDenialReason recorded)
    {
        var verdict = AccessDecider.Decide(new CheckAccess("alice", [], target, login, null, false, "test"), World, WednesdayNoonUtc);

        var refused = Assert.IsType<AccessRefusedFor>(verdict);
        Assert.True(AccessRefused.NotCovered == refused.ShownToUser, $"{scenario}: the user was told '{refused.ShownToUser}'");
        Assert.Equal(recorded, refused.Reason);
        Assert.Contains(target, refused.Detail);
    }

    [Fact]
    public void Should_tell_a_user_whose_grant_covers_the_target_which_login_it_does_not_allow()
    {
        var unknownLogin = Assert.IsType<AccessRefusedFor>(
            AccessDecider.Decide(new CheckAccess("alice", [], "web01", "nobody", null, false, "test"), World, WednesdayNoonUtc));
        var outsideHours = Assert.IsType<AccessRefusedFor>(AccessDecider.Decide(new CheckAccess("bob", [], "web01", "deploy", null, false, "test"),
            World, new DateTimeOffset(2026, 3, 14, 12, 0, 0, TimeSpan.Zero)));

        Assert.Equal("no grant of yours allows login nobody on web01", unknownLogin.ShownToUser);
        Assert.DoesNotContain("root", unknownLogin.ShownToUser);
        Assert.Equal(outsideHours.Detail, outsideHours.ShownToUser);
    }

    [Fact]
    public void Should_refuse_a_user_the_authentication_service_disabled_whatever_their_grants()
    {
        var world = AccessIndex.Build([Web01], [Grant(GrantSubjectKind.User, "alice", names: ["web01"], logins: ["deploy"])], [],
            [new Authorization.Users.UserStatus("alice", true, "disabled", "admin", Issued)]);

        var verdict = AccessDecider.Decide(new CheckAccess("alice", [], "web01", "deploy", null, true, "test"), world, WednesdayNoonUtc);

        var refused = Assert.IsType<AccessRefusedFor>(verdict);
        Assert.Equal(AccessDenialReason.UserDisabled, refused.Reason);
        Assert.Contains("disabled", refused.Detail);
    }

    [Fact]
    public void Should_give_members_of_an_access_role_that_roles_grants()
    {
        var world = AccessIndex.Build([Db01], [Grant(GrantSubjectKind.Role, "dba", labels: new() { ["team"] = "db" }, logins: ["postgres"])],
            [], roles: [Role("dba", "kim")]);

        var member = AccessDecider.Decide(new CheckAccess("kim", [], "db01", "postgres", null, false, "test"), world, WednesdayNoonUtc);
        var other = AccessDecider.Decide(new CheckAccess("lee", ["user"], "db01", "postgres", null, false, "test"), world, WednesdayNoonUtc);

        Assert.IsType<AccessAllowedBy>(member);
        Assert.Equal(AccessDenialReason.NoMatchingGrant, Assert.IsType<AccessRefusedFor>(other).Reason);
    }

    [Fact]
    public void Should_give_API_administrators_nothing_an_access_role_named_admin_is_granted_unless_they_are_members()
    {
        // An access role that happens to be called like the API role: its grant is its members' alone.
        var world = AccessIndex.Build([Db01], [Grant(GrantSubjectKind.Role, "admin", names: ["db01"], logins: ["postgres"])],
            [], roles: [Role("admin", "kim")]);

        var apiAdministrator = AccessDecider.Decide(new CheckAccess("ann", ["admin"], "db01", "postgres", null, true, "test"), world, WednesdayNoonUtc);
        var apiAdministratorAndMember = AccessDecider.Decide(new CheckAccess("kim", ["admin"], "db01", "postgres", null, true, "test"), world,
            WednesdayNoonUtc);

        var refused = Assert.IsType<AccessRefusedFor>(apiAdministrator);
        Assert.Equal(AccessDenialReason.NoMatchingGrant, refused.Reason);
        Assert.Contains("API roles [admin]", refused.Detail);
        Assert.IsType<AccessAllowedBy>(apiAdministratorAndMember);
    }

    [Fact]
    public void Should_give_an_access_role_named_admin_without_members_to_nobody()
    {
        var world = AccessIndex.Build([Db01], [Grant(GrantSubjectKind.Role, "admin", names: ["db01"], logins: ["postgres"])],
            [], roles: [Role("admin")]);

        var verdict = AccessDecider.Decide(new CheckAccess("ann", ["admin"], "db01", "postgres", null, true, "test"), world, WednesdayNoonUtc);

        Assert.Equal(AccessDenialReason.NoMatchingGrant, Assert.IsType<AccessRefusedFor>(verdict).Reason);
    }

    [Fact]
    public void Should_give_holders_of_an_API_role_what_a_grant_to_that_API_role_gives_and_no_one_else()
    {
        var world = AccessIndex.Build([Db01], [Grant(GrantSubjectKind.ApiRole, "admin", names: ["db01"], logins: ["postgres"])],
            [], roles: [Role("admin", "kim")]);

        var apiAdministrator = AccessDecider.Decide(new CheckAccess("ann", ["admin"], "db01", "postgres", null, true, "test"), world, WednesdayNoonUtc);
        var accessRoleMember = AccessDecider.Decide(new CheckAccess("kim", ["user"], "db01", "postgres", null, true, "test"), world, WednesdayNoonUtc);

        Assert.Equal(GrantSubjectKind.ApiRole, Assert.IsType<AccessAllowedBy>(apiAdministrator).Grant.SubjectKind);
        Assert.Equal(AccessDenialReason.NoMatchingGrant, Assert.IsType<AccessRefusedFor>(accessRoleMember).Reason);
    }

    [Fact]
    public void Should_read_a_stored_role_grant_naming_an_API_role_no_access_role_is_called_as_an_API_role_grant()
    {
        // Stored before the two kinds were told apart, when a Role grant could name "approver" without such an access role.
        var stored = Grant(GrantSubjectKind.Role, "approver", names: ["db01"], logins: ["postgres"]);
        var before = AccessIndex.Build([Db01], [stored], [], roles: [Role("dba", "kim")]);
        var onceDefined = AccessIndex.Build([Db01], [stored], [], roles: [Role("approver", "kim")]);

        var approver = new CheckAccess("ann", ["approver"], "db01", "postgres", null, true, "test");
        var member = new CheckAccess("kim", [], "db01", "postgres", null, true, "test");

        Assert.Equal(GrantSubjectKind.ApiRole, Assert.IsType<AccessAllowedBy>(AccessDecider.Decide(approver, before, WednesdayNoonUtc)).Grant.SubjectKind);
        Assert.IsType<AccessRefusedFor>(AccessDecider.Decide(member, before, WednesdayNoonUtc));
        // Once an access role bears the name, the grant is that access role's: its members only.
        Assert.IsType<AccessRefusedFor>(AccessDecider.Decide(approver, onceDefined, WednesdayNoonUtc));
        Assert.Equal(GrantSubjectKind.Role, Assert.IsType<AccessAllowedBy>(AccessDecider.Decide(member, onceDefined, WednesdayNoonUtc)).Grant.SubjectKind);
    }

    [Fact]
    public void Should_report_the_grant_that_came_closest()
    {
        // erin's revoked grant and a second one that only fails on the login: the login is the thing to fix.
        var world = AccessIndex.Build([Web01],
        [
            Grant(GrantSubjectKind.User, "erin", names: ["web01"], logins: ["deploy"]) with { RevokedAt = Issued, RevokedBy = "admin" },
            Grant(GrantSubjectKind.User, "erin", names: ["web01"], logins: ["deploy"]),
        ], []);

        var verdict = AccessDecider.Decide(new CheckAccess("erin", [], "web01", "root", null, false, "test"), world, WednesdayNoonUtc);

        Assert.Equal(AccessDenialReason.LoginNotAllowed, Assert.IsType<AccessRefusedFor>(verdict).Reason);
    }

    [Fact]
    public void Should_name_the_local_time_and_window_when_outside_it()
    {
        var verdict = AccessDecider.Decide(new CheckAccess("bob", [], "web01", "deploy", null, false, "test"), World,
            new DateTimeOffset(2026, 3, 14, 12, 0, 0, TimeSpan.Zero));

        var detail = Assert.IsType<AccessRefusedFor>(verdict).Detail;
        Assert.Contains("Sat 13:00", detail);
        Assert.Contains("Mon,Tue,Wed,Thu,Fri 08:00-18:00 Europe/Berlin", detail);
    }

    internal static Authorization.Roles.Role Role(string name, params string[] members) => new(Guid.NewGuid(), name, "", members, Issued, "admin");

    internal static Target Target(string name, Dictionary<string, string> labels, params string[] logins) =>
        new(Guid.NewGuid(), name, $"{name}.internal", 22, labels, logins, null, null, Issued, "admin");

    internal static Grant Grant(GrantSubjectKind kind, string subject, string[]? names = null, Dictionary<string, string>? labels = null,
        string[]? logins = null, GrantTimeWindow[]? windows = null, DateTimeOffset? expires = null, string[]? cidrs = null, bool mfa = false) =>
        new(Guid.NewGuid(), kind, subject, names ?? [], labels ?? new Dictionary<string, string>(), logins ?? [], windows ?? [],
            expires, cidrs ?? [], null, false, mfa, null, Issued, "admin");
}
