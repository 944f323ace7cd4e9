using MassTransit;

namespace Gatehouse.Authentication.SignIn;

/// <summary>
/// Sign-in consumers spend their time waiting on PostgreSQL, not on the CPU: let many run at once, so a burst of
/// logins queues in the database rather than in RabbitMQ (the default would be two per core).
/// </summary>
public sealed class SignInConsumerDefinition<TConsumer> : ConsumerDefinition<TConsumer> where TConsumer : class, IConsumer
{
    public const int ConcurrentLogins = 64;

    public SignInConsumerDefinition() => ConcurrentMessageLimit = ConcurrentLogins;

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpoint, IConsumerConfigurator<TConsumer> consumer,
        IRegistrationContext context)
    {
        if (endpoint is IRabbitMqReceiveEndpointConfigurator rabbit)
        {
            rabbit.PrefetchCount = ConcurrentLogins;
        }
    }
}
