using Gatehouse.Contracts;
using Gatehouse.ServiceDefaults;
using Gatehouse.ServiceDefaults.Bus;
using Gatehouse.ServiceDefaults.EventStore;
using Marten;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Gatehouse.TestSupport;

/// <summary>
/// A service that appends access events exactly as every Gatehouse service does (its own schema, the shared
/// event store and forwarding), standing in for the services whose features other issues build.
/// </summary>
public sealed class ProducingService : IAsyncDisposable
{
    private readonly IHost _host;

    private ProducingService(IHost host) => _host = host;

    public IBus Bus => _host.Services.GetRequiredService<IBus>();

    public static async Task<ProducingService> StartAsync(string schema)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            ApplicationName = "producing-service",
            EnvironmentName = "Testing",
        });
        builder.Configuration.AddInMemoryCollection(Infrastructure.ServiceConfiguration("authentication", schema));
        builder.AddServiceDefaults();
        builder.AddGatehouseEventStore().ForwardAccessEventsToBus();
        builder.AddGatehouseBus();
        var host = builder.Build();
        await host.StartAsync();
        return new ProducingService(host);
    }

    /// <summary>Appends events in one transaction, each to the stream of its correlation id.</summary>
    public async Task AppendAsync(IEnumerable<IAccessEvent> events)
    {
        await using var session = _host.Services.GetRequiredService<IDocumentStore>().LightweightSession();
        foreach (var accessEvent in events)
        {
            session.AppendAccessEvent(StreamFor(accessEvent.CorrelationId), accessEvent);
        }

        await session.SaveChangesAsync();
    }

    private static Guid StreamFor(string correlationId) =>
        Guid.TryParse(correlationId, out var id) ? id : throw new ArgumentException("Test correlation ids are GUIDs");

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
    }
}
