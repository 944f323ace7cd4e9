using System.Net;

namespace Gatehouse.Ssh;

/// <summary>Settings of the SSH gateway listener. The defaults are meant to be safe in production.</summary>
public sealed class SshServerOptions
{
    public IPEndPoint ListenEndPoint { get; set; } = new(IPAddress.Loopback, 2222);

    /// <summary>Directory holding the host keys; missing keys are generated there on start.</summary>
    public string HostKeyDirectory { get; set; } = "hostkeys";

    /// <summary>The software part of the identification string, "SSH-2.0-{ServerSoftware}".</summary>
    public string ServerSoftware { get; set; } = "Gatehouse";

    /// <summary>Text shown to users before they sign in (e.g. "authorized use only"); none when null.</summary>
    public string? LoginBanner { get; set; }

    /// <summary>Time a client has to finish authenticating, from the moment it connected, before it is disconnected.</summary>
    public TimeSpan LoginGraceTime { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Time a client has to finish key exchange, from the moment it connected. Short, because holding a connection
    /// before key exchange costs an attacker nothing; the full <see cref="LoginGraceTime"/> applies only after.
    /// </summary>
    public TimeSpan KeyExchangeGraceTime { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Failed authentication attempts allowed per connection.</summary>
    public int MaxAuthAttempts { get; set; } = 6;

    /// <summary>Minimum time a failed authentication attempt takes, so timing reveals nothing about the user.</summary>
    public TimeSpan AuthFailureDelay { get; set; } = TimeSpan.FromMilliseconds(300);

    public int MaxUnauthenticatedConnections { get; set; } = 100;

    public int MaxUnauthenticatedConnectionsPerSource { get; set; } = 10;

    /// <summary>Unauthenticated connections from one subnet (<see cref="Ipv4SubnetPrefixLength"/>, <see cref="Ipv6SubnetPrefixLength"/>).</summary>
    public int MaxUnauthenticatedConnectionsPerSubnet { get; set; } = 20;

    public int Ipv4SubnetPrefixLength { get; set; } = 24;

    public int Ipv6SubnetPrefixLength { get; set; } = 64;

    /// <summary>
    /// From this many unauthenticated connections on, a source or subnet may only add connections up to its share
    /// under pressure, and a full gateway makes room for a newcomer by dropping the oldest stalled connection of the
    /// subnet holding the most.
    /// </summary>
    public int UnauthenticatedHighWaterMark { get; set; } = 50;

    public int SourceShareUnderPressure { get; set; } = 2;

    public int SubnetShareUnderPressure { get; set; } = 4;

    /// <summary>
    /// Key exchanges the gateway computes for connections from one source that have not authenticated, within
    /// <see cref="PreAuthKeyExchangeWindow"/>; over it the connection is disconnected before the computation. Exchanges
    /// of connections that then authenticate stop counting, so users signing in do not use up their address's budget.
    /// </summary>
    public int MaxPreAuthKeyExchangesPerSource { get; set; } = 20;

    /// <summary>The same per subnet (<see cref="Ipv4SubnetPrefixLength"/>, <see cref="Ipv6SubnetPrefixLength"/>).</summary>
    public int MaxPreAuthKeyExchangesPerSubnet { get; set; } = 60;

    public TimeSpan PreAuthKeyExchangeWindow { get; set; } = TimeSpan.FromMinutes(1);

    public int MaxChannelsPerConnection { get; set; } = 10;

    /// <summary>Largest packet_length accepted from a client.</summary>
    public int MaxPacketSize { get; set; } = 256 * 1024;

    /// <summary>A connection with no traffic in either direction for this long is closed.</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(15);

    public long RekeyAfterBytes { get; set; } = 1L << 30;

    public TimeSpan RekeyAfterTime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The receive window offered on each channel; what a client may send before we consume it.</summary>
    public int ChannelWindowSize { get; set; } = 2 * 1024 * 1024;

    public int ChannelMaxPacketSize { get; set; } = 32 * 1024;

    /// <summary>
    /// Key exchange methods, in preference order: the post-quantum hybrids first, so a recorded session cannot be
    /// decrypted later with a quantum computer, and OpenSSH 10.1 and later do not warn their users; curve25519 for
    /// clients without them. ecdh-sha2-nistp256 is supported but off by default because audits (ssh-audit) flag the
    /// NIST curves.
    /// </summary>
    public IList<string> KeyExchangeAlgorithms { get; set; } =
    [
        KeyExchange.KeyAgreement.MlKem768X25519, KeyExchange.KeyAgreement.Sntrup761X25519, KeyExchange.KeyAgreement.Sntrup761X25519OpenSsh,
        KeyExchange.KeyAgreement.Curve25519, KeyExchange.KeyAgreement.Curve25519LibSsh,
    ];

    /// <summary>Host key algorithms; ecdsa-sha2-nistp256 is supported but off by default for the same reason.</summary>
    public IList<string> HostKeyAlgorithms { get; set; } = ["ssh-ed25519", "rsa-sha2-512", "rsa-sha2-256"];

    public IList<string> Ciphers { get; set; } =
        ["chacha20-poly1305@openssh.com", "aes256-gcm@openssh.com", "aes128-gcm@openssh.com", "aes256-ctr", "aes128-ctr"];

    public IList<string> Macs { get; set; } = ["hmac-sha2-256-etm@openssh.com", "hmac-sha2-512-etm@openssh.com"];

    /// <summary>Methods offered to clients; a handler narrows them per user through partial success.</summary>
    public IList<string> AuthenticationMethods { get; set; } = [SshAuthMethods.PublicKey, SshAuthMethods.KeyboardInteractive, SshAuthMethods.Password];

    internal void Validate()
    {
        static void Check(IEnumerable<string> names, IEnumerable<string> supported, string what)
        {
            var unknown = names.Except(supported).ToList();
            if (unknown.Count > 0) throw new InvalidOperationException($"Unsupported {what}: {string.Join(", ", unknown)}");
            if (!names.Any()) throw new InvalidOperationException($"No {what} configured");
        }

        Check(KeyExchangeAlgorithms, KeyExchange.KeyAgreement.Supported, "key exchange algorithms");
        Check(HostKeyAlgorithms, ["ssh-ed25519", "ecdsa-sha2-nistp256", "rsa-sha2-512", "rsa-sha2-256"], "host key algorithms");
        Check(Ciphers, Gatehouse.Ssh.Ciphers.CipherSuite.Ciphers, "ciphers");
        Check(Macs, Gatehouse.Ssh.Ciphers.CipherSuite.Macs, "MACs");
        Check(AuthenticationMethods, [SshAuthMethods.PublicKey, SshAuthMethods.KeyboardInteractive, SshAuthMethods.Password], "authentication methods");
        if (LoginGraceTime <= TimeSpan.Zero || KeyExchangeGraceTime <= TimeSpan.Zero) throw new InvalidOperationException("LoginGraceTime and KeyExchangeGraceTime must be positive");
        if (MaxUnauthenticatedConnections < 1 || MaxUnauthenticatedConnectionsPerSource < 1 || MaxUnauthenticatedConnectionsPerSubnet < 1)
        {
            throw new InvalidOperationException("The unauthenticated connection limits must be at least 1");
        }
        if (UnauthenticatedHighWaterMark < 1 || UnauthenticatedHighWaterMark > MaxUnauthenticatedConnections)
        {
            throw new InvalidOperationException("UnauthenticatedHighWaterMark must be between 1 and MaxUnauthenticatedConnections");
        }
        if (SourceShareUnderPressure < 1 || SubnetShareUnderPressure < SourceShareUnderPressure)
        {
            throw new InvalidOperationException("SourceShareUnderPressure must be at least 1 and SubnetShareUnderPressure at least as large");
        }
        if (MaxPreAuthKeyExchangesPerSource < 1 || MaxPreAuthKeyExchangesPerSubnet < MaxPreAuthKeyExchangesPerSource || PreAuthKeyExchangeWindow <= TimeSpan.Zero)
        {
            throw new InvalidOperationException("MaxPreAuthKeyExchangesPerSource must be at least 1, MaxPreAuthKeyExchangesPerSubnet at least as large, and PreAuthKeyExchangeWindow positive");
        }
        if (Ipv4SubnetPrefixLength is < 8 or > 32 || Ipv6SubnetPrefixLength is < 16 or > 128)
        {
            throw new InvalidOperationException("Ipv4SubnetPrefixLength must be 8 to 32 and Ipv6SubnetPrefixLength 16 to 128");
        }
        if (MaxPacketSize < 35000) throw new InvalidOperationException("MaxPacketSize must be at least 35000 (RFC 4253 §6.1)");
        if (ChannelMaxPacketSize > 65536 || ChannelMaxPacketSize < 1024) throw new InvalidOperationException("ChannelMaxPacketSize must be between 1 KiB and 64 KiB");
        if (ChannelWindowSize < ChannelMaxPacketSize) throw new InvalidOperationException("ChannelWindowSize must hold at least one packet");
    }
}
