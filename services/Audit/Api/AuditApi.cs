using Gatehouse.Audit.Alerts;
using Gatehouse.Audit.ConsoleReads;
using Gatehouse.Audit.Integrity;
using Gatehouse.Audit.Querying;
using Gatehouse.Audit.Security;
using Gatehouse.Audit.Soc;
using Gatehouse.Audit.Soc.Sessions;
using Gatehouse.ServiceDefaults.Http;
using Gatehouse.ServiceDefaults.Security;

namespace Gatehouse.Audit.Api;

public static class AuditApi
{
    /// <summary>
    /// The HTTP API under /api/audit. Who may call each group is set here and nowhere else, so no endpoint can be mapped
    /// without it; every answered read of the audit trail is itself recorded.
    /// </summary>
    public static WebApplication MapAuditApi(this WebApplication app)
    {
        var soc = app.MapGroup("/api/audit").RequireAuthorization(GatehousePolicies.SocAnalystOrAdmin).RecordRefusedChanges(SocApi.Refused).AuditedRead();
        QueryAuditEvents.Map(soc);
        AlertEndpoints.Map(soc);
        SocEndpoints.Map(soc);
        IntegrityEndpoints.Map(soc);

        // Any signed-in person's own sessions, whatever their role: what the web console shows a user.
        var own = app.MapGroup("/api/audit/own").RequireAuthorization().AuditedRead();
        OwnSessions.Map(own);

        // The web console's page reads, reported by whoever is signed in to it.
        var console = app.MapGroup("/api/audit/console").RequireAuthorization();
        RecordConsolePageRead.Map(console);
        return app;
    }
}
