using Marten;
using Microsoft.Extensions.DependencyInjection;

namespace Gatehouse.ServiceDefaults.EventStore;

public static class ForwardingExtensions
{
    /// <summary>Publishes every access event this service appends to the bus (see <see cref="AccessEventForwarder"/>).</summary>
    public static MartenServiceCollectionExtensions.MartenConfigurationExpression ForwardAccessEventsToBus(
        this MartenServiceCollectionExtensions.MartenConfigurationExpression marten) =>
        marten.AddSubscriptionWithServices<AccessEventForwarder>(ServiceLifetime.Singleton);
}
