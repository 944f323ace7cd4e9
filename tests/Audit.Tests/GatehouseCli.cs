using Gatehouse.TestSupport;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Gatehouse.Audit.Tests;

/// <summary>The gatehouse CLI against an Audit service on a real port, with a soc-analyst token.</summary>
public static class GatehouseCli
{
    public static Task<(int Exit, string Out, string Error)> RunAsync(WebApplicationFactory<Program> audit, params string[] args) =>
        InProcessCli.RunAsync("GATEHOUSE_AUDIT_URL", audit.RealAddress(), AuditService.Token("cli-analyst", "soc-analyst"), args);
}
