using Gatehouse.Contracts;
using Gatehouse.ServiceDefaults.Settings;
using Gatehouse.SessionBroker.CertificateAuthority;
using Gatehouse.SessionBroker.Gateway;
using Gatehouse.SessionBroker.Posture;
using Marten;
using Microsoft.Extensions.Options;

namespace Gatehouse.SessionBroker.Doctor;

/// <summary>One run of the doctor: when, and what it found, most severe first.</summary>
public sealed record DoctorReport(string Host, DateTimeOffset CheckedAt, IReadOnlyList<PostureFinding> Findings);

/// <summary>
/// The bastion doctor: the gateway checks the machine it runs on. Served at <c>GET /api/doctor</c> (and so
/// <c>gatehouse doctor</c>) and run every <see cref="DoctorSettings.Interval"/> by <see cref="DoctorReporter"/>.
/// </summary>
public sealed class BastionDoctor(IOptions<DoctorSettings> settings, StatePaths state, TargetPostures postures,
    GatewayListener listener, IDocumentStore store, IHttpClientFactory http, TimeProvider clock, ILogger<BastionDoctor> logger)
{
    public const string HttpClientName = "bastion-doctor";

    /// <summary>What the doctor keeps between runs (NuGet's vulnerability data), under the state folder.</summary>
    public const string StateFolderName = "doctor";

    public async Task<DoctorReport> RunAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var doctor = settings.Value;
        var findings = new List<PostureFinding>();
        findings.AddRange(BastionChecks.ServicesRunningAsRoot("/proc", doctor.ServiceProcesses));
        findings.AddRange(BastionChecks.SecretFileModes(state.Root, doctor.ServiceUsers));
        findings.AddRange(OfferedAlgorithms());
        findings.AddRange(CredentialAges.Judge(HostKeys(), now, doctor.ExpiryWarning, doctor.HostKeyRotationAge));
        findings.AddRange(CredentialAges.Judge(await CaKeysAsync(cancellationToken), now, doctor.ExpiryWarning, doctor.KeyRotationAge));
        // The API signing keys are the Authentication service's own stream, which this service cannot read.
        findings.Add(new PostureFinding("api-signing-keys-not-checked", FindingSeverity.Info,
            "The age of the API token signing keys is not checked here: they are kept by the Authentication service",
            "See their ages with 'gatehouse signing-keys list' and rotate with 'gatehouse signing-keys rotate' when older than a year"));
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
        findings.AddRange(await PackageFindingsAsync(client, now, cancellationToken));
        return new DoctorReport(Environment.MachineName, now, findings.OrderByDescending(f => f.Severity).ToList());
    }

    /// <summary>
    /// The NuGet packages of this service and of the others installed here, against NuGet's vulnerability data when it is
    /// reachable, and always against the dated advisory table shipped with the release.
    /// </summary>
    private async Task<IReadOnlyList<PostureFinding>> PackageFindingsAsync(HttpClient client, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var doctor = settings.Value;
        var tablePath = doctor.PackageAdvisoryTable.Length > 0 ? doctor.PackageAdvisoryTable : Path.Combine(AppContext.BaseDirectory, PackageAdvisoryTable.ShippedFileName);
        var (table, problem) = File.Exists(tablePath) ? PackageAdvisoryTable.Parse(File.ReadAllLines(tablePath)) : (null, "it does not exist");
        if (table is null)
        {
            return [new PostureFinding("nuget-not-checked", FindingSeverity.High, $"The NuGet advisory table {tablePath} cannot be read ({problem}): packages were not checked",
                "Repair or replace the table (Gatehouse:Doctor:PackageAdvisoryTable)")];
        }

        var findings = new List<PostureFinding>();
        var services = new Dictionary<string, IReadOnlyDictionary<string, string>>(StringComparer.Ordinal);
        var missing = new List<string>();
        var own = Path.Combine(AppContext.BaseDirectory, $"{System.Reflection.Assembly.GetEntryAssembly()?.GetName().Name}.deps.json");
        foreach (var path in doctor.DependencyFiles.Prepend(own).Distinct())
        {
            try
            {
                using var deps = System.Text.Json.JsonDocument.Parse(File.ReadAllText(path));
                services[Path.GetFileName(path).Replace(".deps.json", "", StringComparison.Ordinal)] = PackageAdvisories.PackagesOf(deps);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Text.Json.JsonException)
            {
                missing.Add(path);
            }
        }

        var advisories = table.Advisories;
        if (doctor.PackageVulnerabilityIndexUrl.Length > 0)
        {
            var cache = new PackageVulnerabilityFeedCache(Path.Combine(state.Resolve(StateFolderName), PackageVulnerabilityFeedCache.FileName), logger);
            var (feed, unreadable) = await PackageVulnerabilityFeed.ReadAsync(client, doctor.PackageVulnerabilityIndexUrl, cache, cancellationToken);
            if (feed is not null)
            {
                advisories = [.. feed, .. table.Advisories.Where(t => !feed.Any(f => f.Id == t.Id && string.Equals(f.Package, t.Package, StringComparison.OrdinalIgnoreCase)))];
            }
            else
            {
                findings.Add(new PostureFinding("nuget-feed-not-checked", FindingSeverity.Medium,
                    $"NuGet's vulnerability data ({doctor.PackageVulnerabilityIndexUrl}) could not be read ({unreadable}): the packages were judged by the table dated {table.Date:yyyy-MM-dd} alone",
                    "Let the bastion reach the address (or a mirror of it: Gatehouse:Doctor:PackageVulnerabilityIndexUrl), or check the release with 'dotnet list package --vulnerable'"));
            }
        }

        findings.AddRange(PackageAdvisories.Judge(services, table with { Advisories = advisories }));
        if (missing.Count > 0)
        {
            findings.Add(new PostureFinding("nuget-not-checked", FindingSeverity.Info,
                $"The NuGet packages described by {string.Join(", ", missing)} were not checked: not found or not readable here",
                "Point Gatehouse:Doctor:DependencyFiles at each service's deps.json, or check that service's release with 'dotnet list package --vulnerable'"));
        }

        if (now - table.Date.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc) > postures.Settings.MaxTableAge)
        {
            findings.Add(new PostureFinding("nuget-advisories-old", FindingSeverity.Medium,
                $"The NuGet advisory table is dated {table.Date:yyyy-MM-dd}: advisories published since are not judged",
                "Install a newer Gatehouse release or an updated table (Gatehouse:Doctor:PackageAdvisoryTable)"));
        }

        return findings;
    }

    private IReadOnlyList<PostureFinding> OfferedAlgorithms()
    {
        if (listener.Options is not { } offered)
        {
            return [new PostureFinding("gateway-offer-not-checked", FindingSeverity.Medium, "The gateway is not listening, so its offer was not checked",
                "Run the doctor again once the gateway has started")];
        }

        // The gateway's own host keys are offered exactly as HostKeyAlgorithms says (the ECDSA key exists but is not offered by default).
        return GatewayOffer.Judge([.. offered.KeyExchangeAlgorithms], [.. offered.HostKeyAlgorithms], [.. offered.Ciphers], [.. offered.Macs]);
    }

    /// <summary>The gateway's host keys, dated by when their files were written (they are written once, when generated).</summary>
    private IReadOnlyList<DatedCredential> HostKeys()
    {
        if (listener.Options is not { } offered || !Directory.Exists(offered.HostKeyDirectory)) return [];
        return Directory.EnumerateFiles(offered.HostKeyDirectory, "ssh_host_*_key")
            .Select(path => new DatedCredential($"The gateway host key {path}", File.GetLastWriteTimeUtc(path), null,
                "Replace it (move the file away and restart the gateway, which makes a new one) and publish the new fingerprint to users"))
            .ToList();
    }

    /// <summary>The keys of the Gatehouse CAs still trusted; read only, so the doctor never makes a CA that was not there.</summary>
    private async Task<IReadOnlyList<DatedCredential>> CaKeysAsync(CancellationToken cancellationToken)
    {
        await using var query = store.QuerySession();
        var keys = new List<DatedCredential>();
        foreach (var kind in Enum.GetValues<CaKind>())
        {
            if (await query.LoadAsync<CaKeyRing>(CaKeyRing.StreamId(kind), cancellationToken) is not { } ring) continue;
            var signing = ring.Signing(clock.GetUtcNow());
            // Only the signing key ages: a newer key waiting to sign, or an older one still trusted, is a rotation under way.
            if (signing is not null)
            {
                keys.Add(new DatedCredential($"The Gatehouse {kind.ToString().ToLowerInvariant()} CA key {signing.Fingerprint}", signing.CreatedAt, null,
                    $"gatehouse ca rotate --{kind.ToString().ToLowerInvariant()}, install the new key on every target, then retire the old one"));
            }
        }

        return keys;
    }
}
