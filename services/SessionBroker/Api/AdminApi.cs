using Gatehouse.Contracts;
using Gatehouse.ServiceDefaults.Http;
using Gatehouse.ServiceDefaults.Security;
using Gatehouse.SessionBroker.CertificateAuthority.RetiringCaKey;
using Gatehouse.SessionBroker.CertificateAuthority.RotatingCa;
using Gatehouse.SessionBroker.CertificateAuthority.ShowingCa;
using Gatehouse.SessionBroker.Doctor;
using Gatehouse.SessionBroker.Jumping.ShowingKnownHosts;
using Gatehouse.SessionBroker.Posture.ListingPosture;
using Gatehouse.SessionBroker.Posture.OverridingPosture;
using Gatehouse.SessionBroker.Sessions.ListingSessions;
using Gatehouse.SessionBroker.Sessions.TerminatingSession;
using Gatehouse.SessionBroker.Sessions.WatchingSession;
using Gatehouse.SessionBroker.Vault.ListingCredentials;
using Gatehouse.SessionBroker.Vault.RemovingCredential;
using Gatehouse.SessionBroker.Vault.ResealingCredentials;
using Gatehouse.SessionBroker.Vault.StoringCredential;
using Gatehouse.SessionBroker.Vault.ViewingKeys;

namespace Gatehouse.SessionBroker.Api;

public static class AdminApi
{
    /// <summary>
    /// The HTTP API under /api: the credential vault, the certificate authority, ProxyJump's known hosts, the targets'
    /// posture and the bastion's doctor for administrators only; live sessions (list, watch, terminate) for SOC analysts
    /// too, who answer what the alerts raise.
    /// </summary>
    public static WebApplication MapSessionBrokerApi(this WebApplication app)
    {
        var admin = app.MapGroup("/api").RequireAuthorization(GatehousePolicies.Admin).RecordRefusedChanges(Refused);
        StoreCredential.Map(admin);
        ListCredentials.Map(admin);
        RemoveCredential.Map(admin);
        ResealCredentials.Map(admin);
        ViewVaultKeys.Map(admin);
        ShowCa.Map(admin);
        RotateCa.Map(admin);
        RetireCaKey.Map(admin);
        ShowJumpKnownHosts.Map(admin);
        ListPosture.Map(admin);
        OverridePosture.Map(admin);
        CheckingBastion.Map(admin);
        var live = app.MapGroup("/api").RequireAuthorization(GatehousePolicies.SocAnalystOrAdmin).RecordRefusedChanges(Refused);
        ListLiveSessions.Map(live);
        WatchSession.Map(live);
        TerminateLiveSession.Map(live);
        return app;
    }

    private static GatewayChangeRefused Refused(RefusedChange refused) => new(refused.Change, refused.Subject, refused.Reason, refused.CallerRoles,
        refused.Caller.Name, refused.Caller.SourceAddress, refused.Caller.CorrelationId, refused.Caller.NewEventId(), refused.Caller.Now);
}
