using System.Text.Json.Serialization;
using Gatehouse.ServiceDefaults.Security;
using Gatehouse.ServiceDefaults.Settings;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Gatehouse.ServiceDefaults.Bus;

public static class BusExtensions
{
    /// <summary>
    /// MassTransit on RabbitMQ: kebab-case endpoint names, quorum queues (but for an instance's own), enums as
    /// strings on the wire, and a short retry before a message that keeps failing moves to its <c>_error</c> queue.
    /// </summary>
    public static IHostApplicationBuilder AddGatehouseBus(this IHostApplicationBuilder builder,
        Action<IBusRegistrationConfigurator>? registerConsumers = null)
    {
        builder.Services.AddSettings<BusSettings>(builder.Configuration.GetSection(BusSettings.Section));

        builder.Services.TryAddSingleton<TokenHolderCache>();
        builder.Services.AddMassTransit(bus =>
        {
            bus.SetKebabCaseEndpointNameFormatter();
            registerConsumers?.Invoke(bus);
            // Here rather than per host, so no host that checks API tokens can miss a disable or a role change.
            bus.AddConsumerOnEveryInstance<TokenHolderChangedConsumer>();

            bus.AddConfigureEndpointsCallback((_, name, endpoint) =>
            {
                // A quorum queue cannot be deleted with its consumer, which an instance's own queue must be.
                if (endpoint is IRabbitMqReceiveEndpointConfigurator rabbit && !name.Contains(InstanceQueueMarker, StringComparison.Ordinal))
                {
                    rabbit.SetQuorumQueue();
                }

                endpoint.UseMessageRetry(retry =>
                {
                    retry.Ignore<ArgumentException>();
                    retry.Intervals(100, 500, 2000);
                });
            });

            bus.UsingRabbitMq((context, rabbit) =>
            {
                var settings = context.GetRequiredService<IOptions<BusSettings>>().Value;
                rabbit.Host(settings.Host, settings.Port, settings.VirtualHost, host =>
                {
                    host.Username(settings.Username);
                    host.Password(settings.Password);
                });
                rabbit.ConfigureJsonSerializerOptions(json =>
                {
                    json.Converters.Add(new JsonStringEnumConverter());
                    return json;
                });
                rabbit.ConfigureEndpoints(context);
            });
        });
        return builder;
    }

    /// <summary>
    /// Consumes on a queue of this instance's own, deleted when it stops, so that every instance receives every
    /// message: for commands only the instance holding the thing can carry out, such as ending a live session.
    /// </summary>
    public static void AddConsumerOnEveryInstance<TConsumer>(this IBusRegistrationConfigurator bus) where TConsumer : class, IConsumer =>
        bus.AddConsumer<TConsumer>().Endpoint(endpoint =>
        {
            // MassTransit appends it to the consumer's queue name with a dash: terminate-session-instance-1a2b3c4d5e6f.
            endpoint.InstanceId = InstanceQueueMarker.TrimStart('-') + Guid.NewGuid().ToString("N")[..12];
            endpoint.Temporary = true;
        });

    private const string InstanceQueueMarker = "-instance-";
}
