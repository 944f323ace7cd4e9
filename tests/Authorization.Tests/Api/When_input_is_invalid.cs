using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Gatehouse.Authorization.Tests.Api;

/// <summary>Bad input is refused with a 400 that names the field and the problem, and nothing is stored.</summary>
[Collection(AnEmptyAuthorizationStoreCollection.Name)]
public class When_input_is_invalid(AnEmptyAuthorizationStore service)
{
    public static TheoryData<string, string, object, string, string> Cases => new()
    {
        { "an invalid CIDR", "/api/grants", Grant(sourceCidrs: ["10.0.0.0/33"]), "sourceCidrs", "is not a CIDR network" },
        { "a CIDR with host bits", "/api/grants", Grant(sourceCidrs: ["10.0.0.1/8"]), "sourceCidrs", "bits set beyond its prefix" },
        { "an empty selector", "/api/grants", new { subjectKind = "User", subject = "bad-input", logins = new[] { "root" } }, "targetNames", "chooses no target" },
        { "an empty label selector", "/api/grants", new { subjectKind = "Role", subject = "ops", targetLabels = new { }, logins = new[] { "root" } }, "targetNames", "chooses no target" },
        { "an unknown time zone", "/api/grants", Grant(timeZone: "Mars/Olympus_Mons"), "timeWindows", "IANA time zone" },
        { "no logins", "/api/grants", new { subjectKind = "User", subject = "bad-input", targetNames = new[] { "web01" } }, "logins", "name the logins" },
        { "an expiry in the past", "/api/grants", Grant(expiresAt: DateTimeOffset.UtcNow.AddDays(-1)), "expiresAt", "already past" },
        { "an invalid regex pattern", "/api/command-policies/no-rm", new { pattern = "rm -rf (", patternKind = "Regex", action = "Deny" }, "pattern", "not a valid regex pattern" },
        { "an empty pattern", "/api/command-policies/no-rm", new { pattern = "", action = "Deny" }, "pattern", "empty" },
        { "a command pattern without a program", "/api/command-policies/no-rm", new { pattern = "$X -rf", patternKind = "Command", action = "Deny" }, "pattern", "is not a program name" },
        { "a pattern kind no member has", "/api/command-policies/no-rm", new { pattern = "rm -rf *", patternKind = 7, action = "Deny" }, "patternKind", "must be one of Glob, Regex, Command" },
        { "an action no member has", "/api/command-policies/no-rm", new { pattern = "rm -rf *", action = 9 }, "action", "must be one of Deny, RequireApproval, Allow" },
        { "a target without logins", "/api/targets", new { name = "bad-target", address = "10.0.0.1" }, "logins", "at least one login" },
        { "a target with a broken host key", "/api/targets", new { name = "bad-target", address = "10.0.0.1", logins = new[] { "root" }, hostKey = "ssh-ed25519 not-base64!" }, "hostKey", "OpenSSH public key" },
        // "$" once let these through and stored them; the gateway and the vault refuse such a login.
        { "a grant login with a trailing newline", "/api/grants", new { subjectKind = "User", subject = "bad-input", targetNames = new[] { "web01" }, logins = new[] { "deploy\n" } }, "logins", "is not a login name" },
        { "a target login with a trailing newline", "/api/targets", new { name = "bad-target", address = "10.0.0.1", logins = new[] { "deploy\n" } }, "logins", "is not a login name" },
        { "a forwarding destination that means everywhere", "/api/grants", Forwarding(["*:*"]), "forwardingDestinations", "is not a forwarding destination" },
        { "a forwarding destination with port 0", "/api/grants", Forwarding(["127.0.0.1:0"]), "forwardingDestinations", "is not a forwarding destination" },
        { "a forwarding destination with a newline", "/api/grants", Forwarding(["db.internal:5432\n"]), "forwardingDestinations", "is not a forwarding destination" },
        { "an empty forwarding destination", "/api/grants", Forwarding([""]), "forwardingDestinations", "empty" },
        { "forwarding destinations without forwarding", "/api/grants", Forwarding(["127.0.0.1:5432"], allowed: false), "forwardingDestinations", "port forwarding is not allowed" },
        { "a target with a bad label", "/api/targets", new { name = "bad-target", address = "10.0.0.1", logins = new[] { "root" }, labels = new Dictionary<string, string> { ["Env!"] = "prod" } }, "labels", "key=value" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Should_refuse_with_a_clear_error_and_store_nothing(string scenario, string path, object body, string field, string message)
    {
        using var admin = service.Admin();
        var before = await service.StoredDataAsync();

        var response = path.StartsWith("/api/command-policies", StringComparison.Ordinal)
            ? await admin.PutAsJsonAsync(path, body, AnEmptyAuthorizationStore.Json)
            : await AnEmptyAuthorizationStore.Post(admin, path, body);

        var text = await response.Content.ReadAsStringAsync();
        Assert.True(HttpStatusCode.BadRequest == response.StatusCode, $"{scenario}: {(int)response.StatusCode} {text}");
        var errors = JsonDocument.Parse(text).RootElement.GetProperty("errors");
        Assert.True(errors.TryGetProperty(field, out var messages), $"{scenario}: no error for {field} in {text}");
        Assert.Contains(messages.EnumerateArray(), m => m.GetString()!.Contains(message, StringComparison.Ordinal));
        Assert.Equal(before, await service.StoredDataAsync());
    }

    private static object Forwarding(string[] destinations, bool allowed = true) => new
    {
        subjectKind = "User",
        subject = "bad-input",
        targetNames = new[] { "web01" },
        logins = new[] { "root" },
        portForwardingAllowed = allowed,
        forwardingDestinations = destinations,
    };

    private static object Grant(string[]? sourceCidrs = null, string timeZone = "Europe/Berlin", DateTimeOffset? expiresAt = null) => new
    {
        subjectKind = "User",
        subject = "bad-input",
        targetNames = new[] { "web01" },
        logins = new[] { "root" },
        sourceCidrs = sourceCidrs ?? [],
        timeWindows = new[] { new { timeZone, days = new[] { "mon" }, from = "08:00", to = "18:00" } },
        expiresAt,
    };
}
