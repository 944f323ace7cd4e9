using Gatehouse.Audit.Alerts;
using Gatehouse.Audit.AuditTrail;
using Gatehouse.Audit.Detection;
using Gatehouse.Audit.Detection.Sigma;
using Gatehouse.Audit.Notifying;
using Gatehouse.Audit.Paging;
using Gatehouse.Contracts.Alerts;
using JasperFx.Events.Projections;
using OpenTelemetry.Metrics;
using Gatehouse.Audit.Integrity;
using Gatehouse.Audit.Storing;
using Gatehouse.Audit.Soc;
using Gatehouse.Audit.Soc.Sessions;
using Gatehouse.Audit.Soc.Timelines;
using Gatehouse.Contracts;
using Gatehouse.ServiceDefaults.Bus;
using Gatehouse.ServiceDefaults.EventStore;
using Gatehouse.ServiceDefaults.Http;
using Gatehouse.ServiceDefaults.Security;
using MassTransit;

namespace Gatehouse.Audit;

public static class Extensions
{
    public static IHostApplicationBuilder AddAuditServices(this IHostApplicationBuilder builder)
    {
        builder.Services.AddAuditSettings(builder.Configuration);
        builder.Services.AddSingleton<StoredEvents>();
        builder.Services.AddSingleton<DigestSigner>();
        builder.Services.AddSingleton<AuditChainVerifier>();
        builder.Services.AddDetectionSettings(builder.Configuration);
        builder.Services.AddSigmaRules(builder.Configuration);
        builder.Services.AddPagingSettings(builder.Configuration);
        Deliveries.AddDeliveries(builder.Services);
        builder.Services.AddNotificationSettings(builder.Configuration);
        builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics.AddMeter(AuditTelemetry.MeterName));

        // The audit store keeps copies of other services' events: it must never forward them back onto the bus.
        builder.AddGatehouseEventStore(options =>
            {
                AuditEntryProjection.Configure(options);
                options.Events.AddEventType<DigestSealed>();
                options.Events.MapEventType<DigestSealed>(StoredEvents.DigestType);
                options.Events.AddEventTypes([typeof(AlertRaised), typeof(AlertAcknowledged), typeof(AlertResolved), typeof(AlertPaged),
                    typeof(AccessRequestNotified)]);
                options.Projections.Snapshot<AlertView>(SnapshotLifecycle.Inline);
                options.Schema.For<AlertView>().Duplicate(a => a.RaisedAt).Duplicate(a => a.UserName!);
                // Cross-stream views are built by the daemon, one page after another: inline, the writer's concurrent
                // commits (and a second instance) would each read a session before the other's command and lose one.
                // One composite reads each page of events once for all four and commits them together.
                options.Projections.CompositeProjectionFor(SocViewsUpgrade.Composite, views =>
                {
                    views.Add<SessionViewProjection>();
                    views.Add<UserAccessHistoryProjection>();
                    views.Add<TargetAccessHistoryProjection>();
                    views.Add<DecisionCountProjection>();
                });
                options.Schema.For<SessionView>().Duplicate(s => s.UserName).Duplicate(s => s.Target).Duplicate(s => s.StartedAt);
            })
            .AddSubscriptionWithServices<AuditSealer>(ServiceLifetime.Singleton)
            .AddSubscriptionWithServices<AlertDetector>(ServiceLifetime.Singleton)
            // Alerts are not access events, so the shared forwarder leaves them alone; this publishes them.
            .AddSubscriptionWithServices<AlertPublisher>(ServiceLifetime.Singleton);
        builder.Services.AddHostedService<EventTableLock>();
        // First of all hosted services: it must move the views' progress before Marten's daemon reads it.
        builder.Services.Insert(0, ServiceDescriptor.Singleton<IHostedService, SocViewsUpgrade>());
        builder.Services.Insert(1, ServiceDescriptor.Singleton<IHostedService, EventSubjectUpgrade>());

        builder.Services.AddSingleton<AuditWriter>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<AuditWriter>());

        builder.AddGatehouseBus(bus => bus.AddConsumers(AccessEventTypes.All
            .SelectMany(type => new[]
            {
                typeof(AccessEventConsumer<>).MakeGenericType(type),
                typeof(AccessEventConsumerDefinition<>).MakeGenericType(type),
            })
            .Append(typeof(AlertPagingConsumer))
            .Append(typeof(AlertPagingConsumerDefinition))
            .Append(typeof(AccessRequestNotifier))
            .Append(typeof(AccessRequestNotifierDefinition))
            .ToArray()));

        builder.AddGatehouseApiAuthentication();
        return builder;
    }
}
