using Gatehouse.Authorization.Roles;
using Gatehouse.Contracts;
using Gatehouse.TestSupport;

namespace Gatehouse.Authorization.Tests.EventStore;

/// <summary>A subscriber reads the raw envelope off its own queue, as a SIEM or a script would.</summary>
[Collection(AnEmptyAuthorizationStoreCollection.Name)]
public class When_an_outside_system_subscribes_to_the_events(AnEmptyAuthorizationStore service)
{
    [Fact]
    public async Task Should_find_the_same_correlation_id_in_the_envelope_and_the_event()
    {
        await using var subscriber = await RawSubscriber.BindAsync<RoleDefined>();
        using var admin = service.Admin();
        var name = $"corr-{Guid.NewGuid():N}"[..16];

        var role = await AnEmptyAuthorizationStore.Read<Role>(await AnEmptyAuthorizationStore.Post(admin, "/api/roles", new { name, description = "envelope" }));
        var envelope = await subscriber.ReceiveAsync(m => m["roleId"]?.ToString() == role.Id.ToString(), TimeSpan.FromSeconds(60));

        var message = envelope["message"]!;
        Assert.Equal(message["eventId"]!.ToString(), envelope["messageId"]!.ToString());
        Assert.Equal(envelope["correlationId"]!.ToString(), message["correlationId"]!.ToString());
        Assert.Equal(message["correlationId"]!.ToString(), Guid.Parse(message["correlationId"]!.ToString()).ToString("D"));
    }
}
