using Gatehouse.Contracts;
using MassTransit;

namespace Gatehouse.Audit.Storing;

/// <summary>All access event types share one durable queue, so one binding list shows everything the audit store receives.</summary>
public sealed class AccessEventConsumerDefinition<TEvent> : ConsumerDefinition<AccessEventConsumer<TEvent>>
    where TEvent : class, IAccessEvent
{
    public const string QueueName = "audit-access-events";

    public AccessEventConsumerDefinition()
    {
        EndpointName = QueueName;
    }

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpoint,
        IConsumerConfigurator<AccessEventConsumer<TEvent>> consumer, IRegistrationContext context)
    {
        // Many messages in flight let the writer commit them in large batches.
        endpoint.PrefetchCount = 512;
        endpoint.ConcurrentMessageLimit = 256;
    }
}
