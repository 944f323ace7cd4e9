using Gatehouse.ServiceDefaults.Security;
using Gatehouse.SessionBroker.Doctor;
using Gatehouse.SessionBroker.Posture.ListingPosture;
using Gatehouse.SessionBroker.Posture.OverridingPosture;
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
    /// <summary>The admin HTTP API under /api: the credential vault, live sessions and the targets' posture, for administrators only.</summary>
    public static WebApplication MapSessionBrokerApi(this WebApplication app)
    {
        var admin = app.MapGroup("/api").RequireAuthorization(GatehousePolicies.Admin);
        StoreCredential.Map(admin);
        ListCredentials.Map(admin);
        RemoveCredential.Map(admin);
        ResealCredentials.Map(admin);
        ViewVaultKeys.Map(admin);
        ListLiveSessions.Map(admin);
        TerminateLiveSession.Map(admin);
        ListPosture.Map(admin);
        OverridePosture.Map(admin);
        CheckingBastion.Map(admin);
        return app;
    }
}
