using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Gatehouse.Authorization.Targets;

/// <summary>OpenSSH public host keys ("ssh-ed25519 AAAA... comment"): checked for shape and fingerprinted as OpenSSH does.</summary>
public static class HostKeys
{
    private static readonly HashSet<string> KnownTypes =
    [
        "ssh-ed25519", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521", "ssh-rsa",
    ];

    public sealed record ParsedHostKey(string Type, string Canonical, string Fingerprint);

    /// <summary>The key without its comment and its SHA256 fingerprint, or null when it is not a public key we accept.</summary>
    public static ParsedHostKey? Parse(string? line)
    {
        var parts = (line ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length < 2 || !KnownTypes.Contains(parts[0]))
        {
            return null;
        }

        byte[] blob;
        try
        {
            blob = Convert.FromBase64String(parts[1]);
        }
        catch (FormatException)
        {
            return null;
        }

        // The blob starts with the key type again as an SSH string; a mismatch means a pasted key of another kind.
        if (blob.Length < 4)
        {
            return null;
        }

        var length = BinaryPrimitives.ReadUInt32BigEndian(blob);
        if (length > blob.Length - 4 || Encoding.ASCII.GetString(blob, 4, (int)length) != parts[0])
        {
            return null;
        }

        var fingerprint = "SHA256:" + Convert.ToBase64String(SHA256.HashData(blob)).TrimEnd('=');
        return new ParsedHostKey(parts[0], $"{parts[0]} {parts[1]}", fingerprint);
    }
}
