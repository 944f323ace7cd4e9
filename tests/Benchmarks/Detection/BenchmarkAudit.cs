using System.Net.Http.Headers;
using System.Security.Cryptography;
using Gatehouse.TestSupport;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Gatehouse.Benchmarks.Detection;

/// <summary>The real Audit service, with API tokens and the digest key made here for the run.</summary>
/// <param name="sigmaRules">A folder of Sigma rules to load with the shipped ones; null loads no Sigma rule at all (the built-in rules alone).</param>
public sealed class BenchmarkAudit(string schema, string? sigmaRules = null) : ServiceFactory<Gatehouse.Audit.AuditTrail.AuditEntry>("audit", schema, new Dictionary<string, string?>
{
    ["Gatehouse:Audit:Detection:Sigma:ShippedRules"] = (sigmaRules is not null).ToString(),
    ["Gatehouse:Audit:Detection:Sigma:RulesFolder"] = sigmaRules ?? Directory.CreateTempSubdirectory("gatehouse-bench-no-sigma-").FullName,
    ["Gatehouse:Api:JwksUrl"] = "http://127.0.0.1:9/not-used",
    ["Gatehouse:Audit:Integrity:SigningKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
    ["Logging:LogLevel:Default"] = "Warning",
    ["Logging:LogLevel:Gatehouse.Audit.Detection.AlertDetector"] = "Error",
})
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services => services.AcceptTokensSignedHere());
    }

    public HttpClient Analyst()
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer",
            TokensSignedHere.Token("bench-analyst", ["soc-analyst"], TimeSpan.FromHours(4)));
        return client;
    }
}
