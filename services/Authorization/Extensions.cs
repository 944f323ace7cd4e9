using Gatehouse.ServiceDefaults.Bus;
using Gatehouse.ServiceDefaults.EventStore;

namespace Gatehouse.Authorization;

public static class Extensions
{
    public static IHostApplicationBuilder AddAuthorizationServices(this IHostApplicationBuilder builder)
    {
        builder.AddGatehouseEventStore().ForwardAccessEventsToBus();
        builder.AddGatehouseBus();
        return builder;
    }
}
