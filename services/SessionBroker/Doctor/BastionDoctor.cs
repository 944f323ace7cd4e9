using Gatehouse.Contracts;
using Gatehouse.ServiceDefaults.Settings;
using Gatehouse.SessionBroker.Gateway;
using Gatehouse.SessionBroker.Posture;
using Microsoft.Extensions.Options;

namespace Gatehouse.SessionBroker.Doctor;

/// <summary>One run of the doctor: when, and what it found, most severe first.</summary>
public sealed record DoctorReport(string Host, DateTimeOffset CheckedAt, IReadOnlyList<PostureFinding> Findings);

/// <summary>
/// The bastion doctor: the gateway checks the machine it runs on. Served at <c>GET /api/doctor</c> (and so
/// <c>gatehouse doctor</c>) and run every <see cref="DoctorSettings.Interval"/> by <see cref="DoctorReporter"/>.
/// </summary>
public sealed class BastionDoctor(IOptions<DoctorSettings> settings, StatePaths state, TargetPostures postures,
    GatewayListener listener, IHttpClientFactory http, TimeProvider clock)
{
    public const string HttpClientName = "bastion-doctor";

    public async Task<DoctorReport> RunAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var doctor = settings.Value;
        var findings = new List<PostureFinding>();
        findings.AddRange(BastionChecks.ServicesRunningAsRoot("/proc", doctor.ServiceProcesses));
        findings.AddRange(BastionChecks.SecretFileModes(state.Root));
        var gatewayEndpoint = listener.EndPoint;
        var expected = doctor.ExpectedListeners.Append(gatewayEndpoint.Address.Equals(System.Net.IPAddress.Any)
            ? $"*:{gatewayEndpoint.Port}"
            : gatewayEndpoint.ToString()).ToList();
        findings.AddRange(BastionChecks.UnexpectedListeners("/proc", expected));
        findings.AddRange(await BastionChecks.PendingSecurityUpdatesAsync(now, cancellationToken));
        if (now - postures.Table.Date.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc) > postures.Settings.MaxTableAge)
        {
            findings.Add(new PostureFinding("vulnerability-table-old", FindingSeverity.Medium,
                $"The vulnerability table is dated {postures.Table.Date:yyyy-MM-dd}: vulnerabilities published since are not judged",
                "Install a newer Gatehouse release or an updated table (Gatehouse:Posture:VulnerabilityTable)"));
        }

        using var client = http.CreateClient(HttpClientName);
        client.Timeout = doctor.NetworkTimeout;
        findings.AddRange(await BastionChecks.RuntimeSecurityReleasesAsync(client, doctor.RuntimeReleasesUrl, Environment.Version, cancellationToken));
        findings.Add(new PostureFinding("nuget-not-checked", FindingSeverity.Info,
            "The NuGet packages shipped with Gatehouse are not checked here (no project and package source on the bastion)",
            "Run 'dotnet list package --vulnerable --include-transitive' on the release's source in CI"));
        return new DoctorReport(Environment.MachineName, now, findings.OrderByDescending(f => f.Severity).ToList());
    }
}
