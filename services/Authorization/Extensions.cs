using Gatehouse.Authorization.AccessRequests;
using Gatehouse.Authorization.CommandPolicies;
using Gatehouse.Authorization.CommandPolicies.AnsweringPolicies;
using Gatehouse.Authorization.Decisions;
using Gatehouse.Authorization.Decisions.CheckingAccess;
using Gatehouse.Authorization.Grants;
using Gatehouse.Authorization.Roles;
using Gatehouse.Authorization.Targets;
using Gatehouse.Authorization.Targets.FindingTargetLogin;
using Gatehouse.Authorization.Targets.PinningHostKey;
using Gatehouse.Authorization.Users;
using Gatehouse.ServiceDefaults.Bus;
using Gatehouse.ServiceDefaults.EventStore;
using Gatehouse.ServiceDefaults.Security;
using Gatehouse.ServiceDefaults.Settings;
using JasperFx.Events.Projections;

namespace Gatehouse.Authorization;

public static class Extensions
{
    public static IHostApplicationBuilder AddAuthorizationServices(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSettings<AuthorizationSettings>(builder.Configuration.GetSection(AuthorizationSettings.Section));

        builder.AddGatehouseEventStore(options =>
        {
            // Inline snapshots: each stream's current state is a document, written in the same transaction as its events.
            options.Projections.Snapshot<Target>(SnapshotLifecycle.Inline);
            options.Projections.Snapshot<Grant>(SnapshotLifecycle.Inline);
            options.Projections.Snapshot<AccessRequest>(SnapshotLifecycle.Inline);
            options.Projections.Snapshot<CommandPolicy>(SnapshotLifecycle.Inline);
            options.Projections.Snapshot<Role>(SnapshotLifecycle.Inline);
            options.Schema.For<Role>().UniqueIndex(r => r.Name);
            options.Schema.For<Target>().UniqueIndex(t => t.Name);
            options.Schema.For<CommandPolicy>().UniqueIndex(p => p.Name);
            options.Schema.For<Grant>().Index(g => g.Subject);
            options.Schema.For<AccessRequest>().Index(r => r.UserName);

            // Each instance catches its index up by modification time, every second and before refusing.
            options.Schema.For<Target>().IndexLastModified();
            options.Schema.For<Grant>().IndexLastModified();
            options.Schema.For<CommandPolicy>().IndexLastModified();
            options.Schema.For<Role>().IndexLastModified();
            options.Schema.For<UserStatus>().IndexLastModified();
        }).ForwardAccessEventsToBus();

        builder.Services.AddSingleton<AccessIndexCache>();
        builder.Services.AddHostedService<AccessIndexRefresher>();
        builder.Services.AddScoped<AccessDecisions>();
        builder.Services.AddScoped<KnownUsers>();

        builder.AddGatehouseBus(bus =>
        {
            bus.AddConsumer<CheckAccessConsumer>();
            bus.AddConsumer<GetCommandPoliciesConsumer>();
            bus.AddConsumer<PinTargetHostKeyConsumer>();
            bus.AddConsumer<FindTargetLoginConsumer>();
            bus.AddConsumer<UserStatusConsumer>();
        });

        builder.AddGatehouseApiAuthentication();
        return builder;
    }
}
