namespace Gatehouse.SessionBroker.Doctor;

/// <summary>The bastion doctor's settings, from <c>Gatehouse:Doctor</c>.</summary>
public sealed class DoctorSettings
{
    public const string Section = "Gatehouse:Doctor";

    /// <summary>How often the gateway checks its machine and records the result (0 turns the recording off).</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>A process whose command line contains one of these is a Gatehouse service, which must not run as root.</summary>
    public List<string> ServiceProcesses { get; set; } =
        ["Gatehouse.Authentication", "Gatehouse.Authorization", "Gatehouse.SessionBroker", "Gatehouse.Audit", "Gatehouse.Console"];

    /// <summary>
    /// The users the Gatehouse services run as (deploy/systemd/gatehouse.sysusers.conf): besides root and the user running
    /// the gateway, the only ones that may own anything in the state folder or a folder above it.
    /// </summary>
    public List<string> ServiceUsers { get; set; } =
        ["gatehouse-authentication", "gatehouse-authorization", "gatehouse-session-broker", "gatehouse-audit"];

    /// <summary>A certificate ending within this is a finding (high), an ended one critical.</summary>
    public TimeSpan ExpiryWarning { get; set; } = TimeSpan.FromDays(30);

    /// <summary>A CA key signing for longer than this is a finding: rotate it (gatehouse ca rotate).</summary>
    public TimeSpan KeyRotationAge { get; set; } = TimeSpan.FromDays(365);

    /// <summary>A gateway host key older than this is a finding; longer than the CA's, since every user's known_hosts pins it.</summary>
    public TimeSpan HostKeyRotationAge { get; set; } = TimeSpan.FromDays(730);

    /// <summary>
    /// The addresses (address:port, or *:port) that may listen beyond loopback: the gateway's own is always expected, the
    /// APIs only if they were configured to listen outside.
    /// </summary>
    public List<string> ExpectedListeners { get; set; } = [];

    /// <summary>The NuGet advisory table the packages are judged by; empty for the one shipped (nuget-advisories.table).</summary>
    public string PackageAdvisoryTable { get; set; } = "";

    /// <summary>
    /// The deps.json of the other Gatehouse services on this machine (deploy/systemd installs them under /opt/gatehouse);
    /// this service's own is always read. One not found is reported as not checked.
    /// </summary>
    public List<string> DependencyFiles { get; set; } =
    [
        "/opt/gatehouse/authentication/Gatehouse.Authentication.deps.json",
        "/opt/gatehouse/authorization/Gatehouse.Authorization.deps.json",
        "/opt/gatehouse/audit/Gatehouse.Audit.deps.json",
    ];

    /// <summary>
    /// NuGet's vulnerability index (the VulnerabilityInfo resource, what 'dotnet restore' audits with), read at each run when
    /// reachable, with only the pages whose @updated changed since the copy kept in the state folder's doctor/ (see
    /// <see cref="PackageVulnerabilityFeedCache"/>); empty judges the packages by the shipped table alone.
    /// </summary>
    public string PackageVulnerabilityIndexUrl { get; set; } = "https://api.nuget.org/v3/vulnerability/index.json";

    /// <summary>Where the .NET release notes are read to know whether the running runtime has a security fix pending.</summary>
    public string RuntimeReleasesUrl { get; set; } = "https://builds.dotnet.microsoft.com/dotnet/release-metadata/{0}/releases.json";

    /// <summary>How long a network check may take before it is reported as not reachable.</summary>
    public TimeSpan NetworkTimeout { get; set; } = TimeSpan.FromSeconds(5);
}
