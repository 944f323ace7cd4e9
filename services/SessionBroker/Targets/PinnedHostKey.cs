using System.Security.Cryptography;
using Gatehouse.Vocabulary;

namespace Gatehouse.SessionBroker.Targets;

/// <summary>An OpenSSH host key line ("ssh-ed25519 AAAA... [comment]") reduced to what is compared: type and blob.</summary>
public sealed record PinnedHostKey(string KeyType, byte[] Blob)
{
    public string Fingerprint => OpenSshPublicKey.FingerprintOf(Blob);

    /// <summary>The pinned key, or null when the line is not an OpenSSH public key.</summary>
    public static PinnedHostKey? TryParse(string? line) =>
        OpenSshPublicKey.ParseLine(line).Key is { } key ? new PinnedHostKey(key.Algorithm, key.Blob) : null;

    public bool Matches(byte[] offered) => CryptographicOperations.FixedTimeEquals(Blob, offered);

    /// <summary>Whether SSH.NET's host key algorithm <paramref name="algorithm"/> yields a key of this type.</summary>
    public bool Allows(string algorithm) =>
        algorithm == KeyType || (KeyType == "ssh-rsa" && algorithm is "rsa-sha2-512" or "rsa-sha2-256");
}
