using Gatehouse.ServiceDefaults.Bus;
using Gatehouse.ServiceDefaults.EventStore;

namespace Gatehouse.Authentication;

public static class Extensions
{
    public static IHostApplicationBuilder AddAuthenticationServices(this IHostApplicationBuilder builder)
    {
        builder.AddGatehouseEventStore().ForwardAccessEventsToBus();
        builder.AddGatehouseBus();
        return builder;
    }
}
