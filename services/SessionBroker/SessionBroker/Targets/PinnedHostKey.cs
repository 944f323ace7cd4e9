using System.Security.Cryptography;

namespace Gatehouse.SessionBroker.Targets;

/// <summary>An OpenSSH host key line ("ssh-ed25519 AAAA... [comment]") reduced to what is compared: type and blob.</summary>
public sealed record PinnedHostKey(string KeyType, byte[] Blob)
{
    public string Fingerprint => FingerprintOf(Blob);

    public static PinnedHostKey? TryParse(string? line)
    {
        var parts = line?.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (parts is not { Length: >= 2 })
        {
            return null;
        }

        try
        {
            return new PinnedHostKey(parts[0], Convert.FromBase64String(parts[1]));
        }
        catch (FormatException)
        {
            return null;
        }
    }

    public bool Matches(byte[] offered) => CryptographicOperations.FixedTimeEquals(Blob, offered);

    /// <summary>Whether SSH.NET's host key algorithm <paramref name="algorithm"/> yields a key of this type.</summary>
    public bool Allows(string algorithm) =>
        algorithm == KeyType || (KeyType == "ssh-rsa" && algorithm is "rsa-sha2-512" or "rsa-sha2-256");

    public static string FingerprintOf(byte[] blob) => "SHA256:" + Convert.ToBase64String(SHA256.HashData(blob)).TrimEnd('=');

    public static string LineOf(byte[] blob) => $"{KeyTypeOf(blob)} {Convert.ToBase64String(blob)}";

    private static string KeyTypeOf(byte[] blob)
    {
        var length = blob.Length >= 4 ? (blob[0] << 24) | (blob[1] << 16) | (blob[2] << 8) | blob[3] : 0;
        return length > 0 && length <= blob.Length - 4 ? System.Text.Encoding.ASCII.GetString(blob, 4, length) : "unknown";
    }
}
