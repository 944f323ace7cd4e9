using Gatehouse.SessionBroker.Sessions;
using Gatehouse.SessionBroker.Sessions.RefreshingPolicies;
using Gatehouse.SessionBroker.Sessions.TerminatingSession;
using Gatehouse.SessionBroker.Sessions.WithdrawingAccess;
using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Gatehouse.SessionBroker.Tests.Sessions;

/// <summary>
/// The gateway's session consumers on MassTransit's in-memory test harness, with no live session yet: what a consumer
/// decides about a message needs no broker. Delivery over RabbitMQ to every instance is proven end to end
/// (<c>When_access_is_withdrawn_from_a_live_connection</c>, <c>When_a_session_is_terminated</c>).
/// </summary>
public sealed class AGatewayWithNoLiveSessions : IAsyncDisposable
{
    private readonly ServiceProvider _provider = new ServiceCollection()
        .AddLogging()
        .AddSingleton<LiveSessions>()
        .AddMassTransitTestHarness(bus =>
        {
            bus.AddConsumer<AccessWithdrawnConsumer>();
            bus.AddConsumer<TerminateSessionConsumer>();
            bus.AddConsumer<CommandPoliciesChangedConsumer>();
        })
        .BuildServiceProvider(validateScopes: true);

    public ITestHarness Harness => _provider.GetRequiredService<ITestHarness>();

    public LiveSessions Live => _provider.GetRequiredService<LiveSessions>();

    public static async Task<AGatewayWithNoLiveSessions> StartAsync()
    {
        var gateway = new AGatewayWithNoLiveSessions();
        await gateway.Harness.Start();
        return gateway;
    }

    public ValueTask DisposeAsync() => _provider.DisposeAsync();
}
