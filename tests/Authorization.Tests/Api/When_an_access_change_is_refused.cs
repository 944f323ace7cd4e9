using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Gatehouse.Contracts;

namespace Gatehouse.Authorization.Tests.Api;

/// <summary>
/// A change to grants, roles, targets or command policies the API refuses (no admin role, invalid input, a conflict)
/// still answers as before and is recorded as an AccessChangeRefused, without the body; reads, successful writes and
/// the approvers' refusals (recorded as AccessRequestApprovalRefused) are not.
/// </summary>
[Collection(AnEmptyAuthorizationStoreCollection.Name)]
public sealed class When_an_access_change_is_refused(AnEmptyAuthorizationStore service)
{
    private static string NewName(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..20];

    [Fact]
    public async Task Should_record_a_write_without_the_admin_role_with_the_callers_roles_and_still_refuse_it_with_a_403()
    {
        var actor = NewName("dev");
        using var developer = service.As(actor, "user", "approver");

        var grant = await AnEmptyAuthorizationStore.Post(developer, "/api/grants",
            new { subjectKind = "User", subject = actor, targetNames = new[] { "web01" }, logins = new[] { "root" } });
        var join = await developer.PutAsync($"/api/roles/dba/members/{actor}", null);
        var read = await developer.GetAsync("/api/grants");

        Assert.Equal((HttpStatusCode.Forbidden, HttpStatusCode.Forbidden, HttpStatusCode.Forbidden), (grant.StatusCode, join.StatusCode, read.StatusCode));
        Assert.StartsWith("Not allowed: this needs the admin role and your token carries the roles user, approver.",
            (await grant.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
        var recorded = await service.RefusalsAsync(actor);
        Assert.Equal([("POST /api/grants", null), ("PUT /api/roles/{role}/members/{user}", $"role=dba, user={actor}")],
            recorded.Select(r => (r.Change, r.Subject)));
        Assert.All(recorded, r => Assert.Equal((ChangeRefusalReason.Forbidden, "127.0.0.1"), (r.Reason, r.SourceAddress)));
        Assert.All(recorded, r => Assert.Equal(["user", "approver"], r.ActorRoles));
    }

    [Fact]
    public async Task Should_record_an_admins_invalid_policy_hostile_name_and_taken_role_without_the_body_and_not_a_done_change()
    {
        var actor = NewName("ops");
        using var admin = service.As(actor, "admin");
        var role = NewName("dba");

        var invalid = await admin.PutAsJsonAsync("/api/command-policies/no-rm", new { pattern = "rm -rf (", patternKind = "Regex", action = "Deny" });
        var hostile = await admin.PutAsJsonAsync("/api/targets/web%0A01", new { address = "10.0.0.1", logins = new[] { "root" } });
        var defined = await AnEmptyAuthorizationStore.Post(admin, "/api/roles", new { name = role });
        var taken = await AnEmptyAuthorizationStore.Post(admin, "/api/roles", new { name = role });

        Assert.Equal((HttpStatusCode.BadRequest, HttpStatusCode.BadRequest, true, HttpStatusCode.Conflict),
            (invalid.StatusCode, hostile.StatusCode, defined.IsSuccessStatusCode, taken.StatusCode));
        var recorded = await service.RefusalsAsync(actor);
        Assert.Equal(
        [
            ("PUT /api/command-policies/{name}", "name=no-rm", ChangeRefusalReason.InvalidInput),
            ("PUT /api/targets/{name}", "name=(not shown: must not contain the control character U+000A)", ChangeRefusalReason.InvalidInput),
            ("POST /api/roles", null, ChangeRefusalReason.Conflict),
        ], recorded.Select(r => (r.Change, r.Subject, r.Reason)));
        Assert.DoesNotContain("rm -rf (", JsonSerializer.Serialize(recorded));
    }
}
