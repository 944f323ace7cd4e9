using Gatehouse.ServiceDefaults.Security;
using Gatehouse.SessionBroker.CertificateAuthority.RetiringCaKey;
using Gatehouse.SessionBroker.CertificateAuthority.RotatingCa;
using Gatehouse.SessionBroker.CertificateAuthority.ShowingCa;
using Gatehouse.SessionBroker.Jumping.ShowingKnownHosts;
using Gatehouse.SessionBroker.Sessions.ListingSessions;
using Gatehouse.SessionBroker.Sessions.TerminatingSession;
using Gatehouse.SessionBroker.Vault.ListingCredentials;
using Gatehouse.SessionBroker.Vault.RemovingCredential;
using Gatehouse.SessionBroker.Vault.ResealingCredentials;
using Gatehouse.SessionBroker.Vault.StoringCredential;
using Gatehouse.SessionBroker.Vault.ViewingKeys;

namespace Gatehouse.SessionBroker.Api;

public static class AdminApi
{
    /// <summary>The admin HTTP API under /api: the credential vault and live sessions, for administrators only.</summary>
    public static WebApplication MapSessionBrokerApi(this WebApplication app)
    {
        var admin = app.MapGroup("/api").RequireAuthorization(GatehousePolicies.Admin);
        StoreCredential.Map(admin);
        ListCredentials.Map(admin);
        RemoveCredential.Map(admin);
        ResealCredentials.Map(admin);
        ViewVaultKeys.Map(admin);
        ShowCa.Map(admin);
        RotateCa.Map(admin);
        RetireCaKey.Map(admin);
        ListLiveSessions.Map(admin);
        TerminateLiveSession.Map(admin);
        ShowJumpKnownHosts.Map(admin);
        return app;
    }
}
