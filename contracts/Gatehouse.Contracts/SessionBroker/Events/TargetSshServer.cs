namespace Gatehouse.Contracts;

/// <summary>What a target's SSH server told the gateway before authentication: its version line and its KEXINIT offer.</summary>
/// <param name="Version">The identification line, e.g. <c>SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3</c>.</param>
/// <param name="StrictKex">Whether it offers strict key exchange (<c>kex-strict-s-v00@openssh.com</c>, the Terrapin fix).</param>
public sealed record TargetSshServer(
    string Version,
    IReadOnlyList<string> KeyExchanges,
    IReadOnlyList<string> Ciphers,
    IReadOnlyList<string> Macs,
    IReadOnlyList<string> HostKeyAlgorithms,
    bool StrictKex);
