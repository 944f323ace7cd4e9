using Gatehouse.SessionBroker.Gateway;
using Gatehouse.SessionBroker.Sessions;
using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Gatehouse.SessionBroker.Tests.Gateway;

/// <summary>
/// The gateway's view of the other services, on MassTransit's in-memory bus: each test answers the requests it needs
/// (Authentication's, Authorization's) with handlers; a request nobody answers times out as a silent service does.
/// The vault, the session store and the recordings are not reached by the tests that use it.
/// </summary>
public sealed class GatewayBus : IAsyncDisposable
{
    private readonly ServiceProvider _provider;

    private GatewayBus(ServiceProvider provider, GatewayServices services) => (_provider, Services) = (provider, services);

    public GatewayServices Services { get; }

    /// <param name="decisionTimeout">How long the gateway waits for an answer: short where none comes, generous where one
    /// does (the in-memory bus on a loaded machine).</param>
    public static async Task<GatewayBus> StartAsync(Action<IBusRegistrationConfigurator> answers, TimeSpan? decisionTimeout = null)
    {
        var provider = new ServiceCollection().AddMassTransitTestHarness(answers).BuildServiceProvider(true);
        await provider.GetRequiredService<ITestHarness>().Start();
        var settings = Options.Create(new GatewaySettings { DecisionTimeout = decisionTimeout ?? TimeSpan.FromSeconds(10) });
        var services = new GatewayServices(settings, provider.GetRequiredService<IBus>(), vault: null!, journal: null!,
            new LiveSessions(NullLogger<LiveSessions>.Instance), recordings: null!, postures: null!, TimeProvider.System,
            new Gatehouse.SessionBroker.Jumping.InnerConnections(TimeProvider.System),
            NullLogger<GatewayConnection>.Instance, ca: null!);
        return new GatewayBus(provider, services);
    }

    public async ValueTask DisposeAsync() => await _provider.DisposeAsync();
}
