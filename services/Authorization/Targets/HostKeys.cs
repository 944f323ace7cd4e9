using Gatehouse.Vocabulary;

namespace Gatehouse.Authorization.Targets;

/// <summary>OpenSSH public host keys ("ssh-ed25519 AAAA... comment"), read by the one OpenSSH key parser.</summary>
public static class HostKeys
{
    public sealed record ParsedHostKey(string Type, string Canonical, string Fingerprint);

    /// <summary>The key without its comment and its SHA256 fingerprint, or null when it is not a public key we accept.</summary>
    public static ParsedHostKey? Parse(string? line) =>
        // A security key (sk-...) belongs to a person, never to a host.
        OpenSshPublicKey.ParseLine(line).Key is { IsSecurityKey: false } key
            ? new ParsedHostKey(key.Algorithm, key.Line, key.Fingerprint)
            : null;
}
