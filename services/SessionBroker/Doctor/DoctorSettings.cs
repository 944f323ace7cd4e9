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
    /// The addresses (address:port, or *:port) that may listen beyond loopback: the gateway's own is always expected, the
    /// APIs only if they were configured to listen outside.
    /// </summary>
    public List<string> ExpectedListeners { get; set; } = [];

    /// <summary>Where the .NET release notes are read to know whether the running runtime has a security fix pending.</summary>
    public string RuntimeReleasesUrl { get; set; } = "https://builds.dotnet.microsoft.com/dotnet/release-metadata/{0}/releases.json";

    /// <summary>How long a network check may take before it is reported as not reachable.</summary>
    public TimeSpan NetworkTimeout { get; set; } = TimeSpan.FromSeconds(5);
}
