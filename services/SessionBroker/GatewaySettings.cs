using System.ComponentModel.DataAnnotations;
using System.Net;
using Gatehouse.SessionBroker.Gateway.CertificateLogins;
using Gatehouse.Ssh;

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

    /// <summary>Time a user has from connecting to signing in (key, one-time code and all).</summary>
    [Range(typeof(TimeSpan), "00:00:05", "00:10:00")]
    public TimeSpan LoginGraceTime { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Time a connection has from connecting to finishing key exchange; stalling before that costs an attacker nothing.</summary>
    [Range(typeof(TimeSpan), "00:00:02", "00:01:00")]
    public TimeSpan KeyExchangeGraceTime { get; set; } = TimeSpan.FromSeconds(10);

    [Range(1, 10_000)]
    public int MaxUnauthenticatedConnections { get; set; } = 100;

    [Range(1, 10_000)]
    public int MaxUnauthenticatedConnectionsPerSource { get; set; } = 10;

    /// <summary>Per IPv4 /24 or IPv6 /64 (<see cref="Ipv4SubnetPrefixLength"/>, <see cref="Ipv6SubnetPrefixLength"/>).</summary>
    [Range(1, 10_000)]
    public int MaxUnauthenticatedConnectionsPerSubnet { get; set; } = 20;

    [Range(8, 32)]
    public int Ipv4SubnetPrefixLength { get; set; } = 24;

    [Range(16, 128)]
    public int Ipv6SubnetPrefixLength { get; set; } = 64;

    /// <summary>From this many unauthenticated connections on, sources and subnets only get their shares under pressure.</summary>
    [Range(1, 10_000)]
    public int UnauthenticatedHighWaterMark { get; set; } = 50;

    [Range(1, 10_000)]
    public int SourceShareUnderPressure { get; set; } = 2;

    [Range(1, 10_000)]
    public int SubnetShareUnderPressure { get; set; } = 4;

    /// <summary>Signing in with OpenSSH user certificates from CAs the administrator trusts.</summary>
    public UserCertificateSettings UserCertificates { get; set; } = new();

    /// <summary>Key exchanges (CPU on the gateway) per source, within <see cref="PreAuthKeyExchangeWindow"/>, of connections that did not sign in.</summary>
    [Range(1, 100_000)]
    public int MaxPreAuthKeyExchangesPerSource { get; set; } = 20;

    [Range(1, 100_000)]
    public int MaxPreAuthKeyExchangesPerSubnet { get; set; } = 60;

    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan PreAuthKeyExchangeWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The SSH server's options: where it listens and the limits that keep unauthenticated clients from filling it.</summary>
    public SshServerOptions ToServerOptions(string hostKeyDirectory) => new()
    {
        ListenEndPoint = new IPEndPoint(IPAddress.Parse(ListenAddress), Port),
        HostKeyDirectory = hostKeyDirectory,
        // The broker ends idle sessions itself and says why; the server's own timeout is only the backstop.
        IdleTimeout = IdleTimeout + TimeSpan.FromMinutes(1),
        LoginGraceTime = LoginGraceTime,
        KeyExchangeGraceTime = KeyExchangeGraceTime,
        MaxUnauthenticatedConnections = MaxUnauthenticatedConnections,
        MaxUnauthenticatedConnectionsPerSource = MaxUnauthenticatedConnectionsPerSource,
        MaxUnauthenticatedConnectionsPerSubnet = MaxUnauthenticatedConnectionsPerSubnet,
        Ipv4SubnetPrefixLength = Ipv4SubnetPrefixLength,
        Ipv6SubnetPrefixLength = Ipv6SubnetPrefixLength,
        UnauthenticatedHighWaterMark = UnauthenticatedHighWaterMark,
        SourceShareUnderPressure = SourceShareUnderPressure,
        SubnetShareUnderPressure = SubnetShareUnderPressure,
        MaxPreAuthKeyExchangesPerSource = MaxPreAuthKeyExchangesPerSource,
        MaxPreAuthKeyExchangesPerSubnet = MaxPreAuthKeyExchangesPerSubnet,
        PreAuthKeyExchangeWindow = PreAuthKeyExchangeWindow,
    };
}
