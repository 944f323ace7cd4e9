using Gatehouse.Audit.AuditTrail;
using Gatehouse.Audit.Querying;
using Gatehouse.Audit.Recording;
using Gatehouse.Contracts;
using Gatehouse.ServiceDefaults.Bus;
using Gatehouse.ServiceDefaults.EventStore;
using MassTransit;

namespace Gatehouse.Audit;

public static class Extensions
{
    public static IHostApplicationBuilder AddAuditServices(this IHostApplicationBuilder builder)
    {
        // The audit store keeps copies of other services' events: it must never forward them back onto the bus.
        builder.AddGatehouseEventStore(AuditEntryProjection.Configure);

        builder.Services.AddSingleton<AuditWriter>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<AuditWriter>());

        builder.AddGatehouseBus(bus => bus.AddConsumers(AccessEventTypes.All
            .SelectMany(type => new[]
            {
                typeof(AccessEventConsumer<>).MakeGenericType(type),
                typeof(AccessEventConsumerDefinition<>).MakeGenericType(type),
            })
            .ToArray()));

        builder.Services.AddProblemDetails();
        return builder;
    }

    public static WebApplication MapAuditApi(this WebApplication app)
    {
        app.MapGroup("/api/audit").MapAuditEventQueries();
        return app;
    }
}
