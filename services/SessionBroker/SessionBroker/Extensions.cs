using Gatehouse.ServiceDefaults.Bus;
using Gatehouse.ServiceDefaults.EventStore;

namespace Gatehouse.SessionBroker;

public static class Extensions
{
    public static IHostApplicationBuilder AddSessionBrokerServices(this IHostApplicationBuilder builder)
    {
        builder.AddGatehouseEventStore().ForwardAccessEventsToBus();
        builder.AddGatehouseBus();
        return builder;
    }
}
