using System.ComponentModel.DataAnnotations;

namespace Gatehouse.SessionBroker;

/// <summary>The SSH gateway's settings, from <c>Gatehouse:Gateway</c>. Relative paths are under <c>Gatehouse:State</c>.</summary>
public sealed class GatewaySettings
{
    public const string Section = "Gatehouse:Gateway";

    /// <summary>Address the SSH gateway listens on; 0.0.0.0 to accept users from other machines.</summary>
    [Required]
    public string ListenAddress { get; set; } = "127.0.0.1";

    /// <summary>The SSH port users connect to; 0 picks a free one (tests).</summary>
    [Range(0, 65535)]
    public int Port { get; set; } = 2222;

    public string HostKeyDirectory { get; set; } = "gateway/hostkeys";

    /// <summary>Where session recordings (asciicast v2) are written while sessions run.</summary>
    public string RecordingDirectory { get; set; } = "recordings";

    /// <summary>Also record what users type (passwords typed at prompts included), not only what they see.</summary>
    public bool RecordInput { get; set; }

    /// <summary>A session with no traffic in either direction for this long is ended.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>The longest any session may last, whatever its grant says.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00")]
    public TimeSpan MaxSessionLength { get; set; } = TimeSpan.FromHours(12);

    /// <summary>How long the gateway waits for Authentication and Authorization to answer before refusing.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:01:00")]
    public TimeSpan DecisionTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long connecting and authenticating to a target may take.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")]
    public TimeSpan TargetConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);
}
