using System.Net;
using System.Text.Json;

namespace Gatehouse.Authorization.Tests.Api;

/// <summary>A grant's ports for ssh -R are checked like its forwarding destinations: a 400 naming the problem, nothing stored.</summary>
[Collection(AnEmptyAuthorizationStoreCollection.Name)]
public class When_remote_forwarding_ports_are_invalid(AnEmptyAuthorizationStore service)
{
    public static TheoryData<string, string[], bool, string> Cases => new()
    {
        { "port 0 (only '*' lets the target pick)", ["0"], true, "is not a remote forwarding port" },
        { "a range that runs backwards", ["9000-8000"], true, "is not a remote forwarding port" },
        { "an address with the port", ["0.0.0.0:8080"], true, "is not a remote forwarding port" },
        { "an empty port", [""], true, "empty" },
        { "ports without forwarding", ["8080"], false, "port forwarding is not allowed" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Should_refuse_with_a_clear_error_and_store_nothing(string scenario, string[] ports, bool forwarding, string message)
    {
        using var admin = service.Admin();
        var before = await service.StoredDataAsync();

        var response = await AnEmptyAuthorizationStore.Post(admin, "/api/grants", new
        {
            subjectKind = "User",
            subject = "bad-input",
            targetNames = new[] { "web01" },
            logins = new[] { "root" },
            portForwardingAllowed = forwarding,
            remoteForwardingPorts = ports,
        });

        var text = await response.Content.ReadAsStringAsync();
        Assert.True(HttpStatusCode.BadRequest == response.StatusCode, $"{scenario}: {(int)response.StatusCode} {text}");
        var errors = JsonDocument.Parse(text).RootElement.GetProperty("errors");
        Assert.True(errors.TryGetProperty("remoteForwardingPorts", out var messages), $"{scenario}: no error for remoteForwardingPorts in {text}");
        Assert.Contains(messages.EnumerateArray(), m => m.GetString()!.Contains(message, StringComparison.Ordinal));
        Assert.Equal(before, await service.StoredDataAsync());
    }
}
