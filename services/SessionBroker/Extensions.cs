using Gatehouse.ServiceDefaults.Bus;
using Gatehouse.ServiceDefaults.EventStore;
using Gatehouse.ServiceDefaults.Security;
using Gatehouse.SessionBroker.CertificateAuthority;
using Gatehouse.SessionBroker.Doctor;
using Gatehouse.SessionBroker.Gateway;
using Gatehouse.SessionBroker.Gateway.CertificateLogins;
using Gatehouse.SessionBroker.Jumping;
using Gatehouse.SessionBroker.Posture;
using Gatehouse.SessionBroker.Recording;
using Gatehouse.SessionBroker.Sessions;
using Gatehouse.SessionBroker.Sessions.ListingSessions;
using Gatehouse.SessionBroker.Sessions.RefreshingPolicies;
using Gatehouse.SessionBroker.Sessions.TerminatingSession;
using Gatehouse.SessionBroker.Sessions.WithdrawingAccess;
using Gatehouse.SessionBroker.Vault;
using Gatehouse.Ssh;
using Gatehouse.ServiceDefaults.Settings;
using JasperFx.Events.Projections;
using Marten;
using Marten.Events.Projections;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;

namespace Gatehouse.SessionBroker;

public static class Extensions
{
    public static IHostApplicationBuilder AddSessionBrokerServices(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSettings<GatewaySettings>(builder.Configuration.GetSection(GatewaySettings.Section));
        builder.Services.AddSettings<VaultSettings>(builder.Configuration.GetSection(VaultSettings.Section));
        builder.Services.AddSettings<PostureSettings>(builder.Configuration.GetSection(PostureSettings.Section), PostureSettings.Problems);
        builder.Services.AddSingleton(services => services.GetRequiredService<IOptions<VaultSettings>>().Value.CreateCipher());

        builder.AddGatehouseEventStore(options =>
        {
            options.Projections.Snapshot<VaultCredential>(SnapshotLifecycle.Inline);
            options.Projections.Snapshot<CaKeyRing>(SnapshotLifecycle.Inline);
            options.Projections.Snapshot<TargetPosture>(SnapshotLifecycle.Inline);
        }).ForwardAccessEventsToBus();
        // Each gateway instance holds its own sessions, so each must see every TerminateSession, every change of access
        // and every question of what is live.
        builder.AddGatehouseBus(bus =>
        {
            bus.AddConsumerOnEveryInstance<TerminateSessionConsumer>();
            bus.AddConsumerOnEveryInstance<FindLiveSessionsConsumer>();
            bus.AddConsumerOnEveryInstance<GatewayInstanceStoppingConsumer>();
            bus.AddConsumerOnEveryInstance<AccessWithdrawnConsumer>();
            bus.AddConsumerOnEveryInstance<CommandPoliciesChangedConsumer>();
        });

        builder.Services.AddSettings<CertificateAuthoritySettings>(builder.Configuration.GetSection(CertificateAuthoritySettings.Section));
        builder.Services.AddSingleton<GatehouseCa>();
        builder.Services.AddSingleton<CredentialVault>();
        builder.Services.AddSingleton<SessionJournal>();
        builder.Services.AddSingleton<LiveSessions>();
        builder.Services.AddSingleton<GatewayLive>();
        builder.Services.AddHostedService<AnnouncingStop>();
        builder.Services.AddSingleton<RecordingStore>();
        builder.Services.AddSingleton<InnerConnections>();
        builder.Services.AddSingleton<TargetPostures>();
        builder.Services.AddSettings<DoctorSettings>(builder.Configuration.GetSection(DoctorSettings.Section));
        builder.Services.AddHttpClient(BastionDoctor.HttpClientName);
        builder.Services.AddSingleton<BastionDoctor>();
        builder.Services.AddSingleton<DoctorReporter>();
        builder.Services.AddHostedService(services => services.GetRequiredService<DoctorReporter>());
        builder.Services.AddSingleton<UserCertificateTrust>();
        builder.Services.AddSingleton<GatewayServices>();
        builder.Services.AddSingleton<BrokeringHooks>();
        builder.Services.AddSingleton<GatewayListener>();
        builder.Services.AddHostedService(services => services.GetRequiredService<GatewayListener>());
        builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics.AddMeter(SshMetrics.MeterName));

        builder.AddGatehouseApiAuthentication();
        return builder;
    }
}
