using System.Buffers.Binary;
using System.Text;
using Gatehouse.Contracts;
using Gatehouse.Contracts.Authorization;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace Gatehouse.Authorization.Tests.Targets.PinningHostKey;

[Collection(AnEmptyAuthorizationStoreCollection.Name)]
public class When_the_gateway_meets_a_host_key(AnEmptyAuthorizationStore service)
{
    [Fact]
    public async Task Should_trust_the_first_key_and_refuse_a_different_one_later()
    {
        var name = $"tofu-{Guid.NewGuid():N}"[..20];
        using var admin = service.Admin();
        (await AnEmptyAuthorizationStore.Post(admin, "/api/targets", new { name, address = "10.4.4.4", logins = new[] { "root" } })).EnsureSuccessStatusCode();
        var first = Ed25519Key(1);

        var pinned = await Pin(name, first);
        var again = await Pin(name, first);
        var other = await Pin(name, Ed25519Key(2));

        Assert.True(Assert.IsType<TargetHostKeyAccepted>(pinned).PinnedNow);
        Assert.False(Assert.IsType<TargetHostKeyAccepted>(again).PinnedNow);
        Assert.Contains("is pinned", Assert.IsType<TargetHostKeyRejected>(other).Detail);

        var target = await AnEmptyAuthorizationStore.Read<Gatehouse.Authorization.Targets.Target>(await admin.GetAsync($"/api/targets/{name}"));
        Assert.Equal(first, target.HostKey);
        var events = await service.EventsOfStreamAsync(target.Id);
        var pinnedEvent = Assert.IsType<TargetHostKeyPinned>(events[^1]);
        Assert.True(pinnedEvent.TrustedOnFirstUse);
        Assert.StartsWith("SHA256:", pinnedEvent.Fingerprint);
    }

    private async Task<object> Pin(string target, string key)
    {
        var client = service.Services.GetRequiredService<IBus>()
            .CreateRequestClient<PinTargetHostKey>(RequestTimeout.After(s: 15));
        var response = await client.GetResponse<TargetHostKeyAccepted, TargetHostKeyRejected>(
            new PinTargetHostKey(target, key, "alice", "10.0.0.1", Guid.NewGuid().ToString()));
        return response.Message;
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
