using System.Text.Json.Serialization;
using MassTransit;

namespace Gatehouse.TestSupport;

/// <summary>
/// A MassTransit bus of the test's own on the run's RabbitMQ virtual host, connected as another Gatehouse service would
/// (its RabbitMQ user, enums as strings on the wire): to send requests as that service, and, given a listener, to
/// receive what is published, on a queue of its own that goes away when the bus stops.
/// </summary>
public static class TestBus
{
    /// <param name="listen">The handlers of the messages to receive (their exchanges are bound to the queue); none, to only send.</param>
    /// <param name="asService">The service whose RabbitMQ user the bus connects as.</param>
    public static async Task<IBusControl> StartAsync(Action<IRabbitMqReceiveEndpointConfigurator>? listen = null, string asService = "session-broker")
    {
        var bus = Bus.Factory.CreateUsingRabbitMq(rabbit =>
        {
            rabbit.Host("127.0.0.1", 5672, Infrastructure.TestVirtualHost, host =>
            {
                host.Username(Infrastructure.RabbitMqUser(asService));
                host.Password(Infrastructure.Password(asService));
            });
            rabbit.ConfigureJsonSerializerOptions(json =>
            {
                json.Converters.Add(new JsonStringEnumConverter());
                return json;
            });
            if (listen is not null)
            {
                rabbit.ReceiveEndpoint($"test-listener-{Guid.NewGuid():N}", endpoint =>
                {
                    endpoint.AutoDelete = true;
                    endpoint.Durable = false;
                    listen(endpoint);
                });
            }
        });
        await bus.StartAsync();
        return bus;
    }
}
