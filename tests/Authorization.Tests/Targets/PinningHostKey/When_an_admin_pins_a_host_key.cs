using System.Buffers.Binary;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using Gatehouse.Authorization.Targets;
using Gatehouse.Contracts;

namespace Gatehouse.Authorization.Tests.Targets.PinningHostKey;

/// <summary>PUT /api/targets/{name}/host-key: fetch the target, decide, append, save.</summary>
[Collection(AnEmptyAuthorizationStoreCollection.Name)]
public class When_an_admin_pins_a_host_key(AnEmptyAuthorizationStore service)
{
    [Fact]
    public async Task Should_pin_it_once_and_answer_a_repeat_without_a_second_event()
    {
        using var admin = service.Admin();
        var name = $"pin-{Guid.NewGuid():N}"[..20];
        var target = await AnEmptyAuthorizationStore.Read<Target>(await AnEmptyAuthorizationStore.Post(admin, "/api/targets",
            new { name, address = "10.8.8.8", logins = new[] { "root" } }));
        var key = Ed25519Key(7);

        var pinned = await AnEmptyAuthorizationStore.Read<Target>(await admin.PutAsJsonAsync($"/api/targets/{name}/host-key", new { hostKey = key }, AnEmptyAuthorizationStore.Json));
        var again = await admin.PutAsJsonAsync($"/api/targets/{name}/host-key", new { hostKey = key }, AnEmptyAuthorizationStore.Json);

        Assert.Equal(key, pinned.HostKey);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Single((await service.EventsOfStreamAsync(target.Id)).OfType<TargetHostKeyPinned>());
    }

    [Fact]
    public async Task Should_answer_404_for_a_removed_target()
    {
        using var admin = service.Admin();
        var name = $"pin-{Guid.NewGuid():N}"[..20];
        (await AnEmptyAuthorizationStore.Post(admin, "/api/targets", new { name, address = "10.8.8.9", logins = new[] { "root" } })).EnsureSuccessStatusCode();
        (await AnEmptyAuthorizationStore.Post(admin, $"/api/targets/{name}/remove", new { reason = "gone" })).EnsureSuccessStatusCode();

        var response = await admin.PutAsJsonAsync($"/api/targets/{name}/host-key", new { hostKey = Ed25519Key(8) }, AnEmptyAuthorizationStore.Json);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    private static string Ed25519Key(byte seed)
    {
        var type = Encoding.ASCII.GetBytes("ssh-ed25519");
        var blob = new byte[4 + type.Length + 4 + 32];
        BinaryPrimitives.WriteInt32BigEndian(blob, type.Length);
        type.CopyTo(blob, 4);
        BinaryPrimitives.WriteInt32BigEndian(blob.AsSpan(4 + type.Length), 32);
        blob.AsSpan(8 + type.Length).Fill(seed);
        return "ssh-ed25519 " + Convert.ToBase64String(blob);
    }
}
