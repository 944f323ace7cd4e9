using Gatehouse.Contracts;
using Gatehouse.EndToEnd.Tests.Support;
using Gatehouse.TestSupport;

namespace Gatehouse.EndToEnd.Tests.Auditing;

/// <summary>A SIEM's own queue on the SessionStarted exchange, read raw: the gateway's events as subscribers see them.</summary>
[Collection(GatehouseCollection.Name)]
public sealed class When_an_outside_system_subscribes_to_session_events(GatehouseStack stack)
{
    [Fact]
    public async Task Should_find_the_connection_in_the_envelope_and_the_event_spelt_the_same()
    {
        await using var subscriber = await RawSubscriber.BindAsync<SessionStarted>();
        var (user, target, _) = await stack.AUserWithAGrantAsync("siem", "siem");

        var result = await OpenSsh.SshAsync(stack, user, target, "true");
        Assert.True(result.ExitCode == 0, $"exit {result.ExitCode}: {result.Error}");

        var envelope = await subscriber.ReceiveAsync(m => m["userName"]?.ToString() == user.Name, TimeSpan.FromSeconds(60));
        var correlationId = envelope["message"]!["correlationId"]!.ToString();
        Assert.Equal(envelope["correlationId"]!.ToString(), correlationId);
        Assert.Equal(Guid.Parse(correlationId).ToString("D"), correlationId);
    }
}
