using System.Buffers.Binary;
using System.Numerics;
using System.Security.Cryptography;
using System.Text;

namespace Gatehouse.Authentication.Credentials.PublicKeys;

/// <summary>An SSH public key in wire format (RFC 4253 §6.6), checked structurally so garbage is never stored or matched.</summary>
public sealed record SshPublicKey(string Algorithm, byte[] Blob)
{
    /// <summary>Far above a 16384-bit RSA key; anything longer is not a key.</summary>
    public const int MaxBlobBytes = 4096;

    public const int MinRsaBits = 2048;

    private static readonly Dictionary<string, string> Curves = new(StringComparer.Ordinal)
    {
        ["ecdsa-sha2-nistp256"] = "nistp256",
        ["ecdsa-sha2-nistp384"] = "nistp384",
        ["ecdsa-sha2-nistp521"] = "nistp521",
        ["sk-ecdsa-sha2-nistp256@openssh.com"] = "nistp256",
    };

    public static IReadOnlyList<string> SupportedAlgorithms { get; } =
        ["ssh-ed25519", "sk-ssh-ed25519@openssh.com", "ssh-rsa", .. Curves.Keys];

    /// <summary>The fingerprint OpenSSH shows: <c>SHA256:</c> and unpadded base64 of the blob's SHA-256.</summary>
    public string Fingerprint => FingerprintOf(Blob);

    public string Base64 => Convert.ToBase64String(Blob);

    public static string FingerprintOf(byte[] blob) => "SHA256:" + Convert.ToBase64String(SHA256.HashData(blob)).TrimEnd('=');

    /// <summary>Parses one authorized_keys line: <c>algorithm base64 [comment]</c> (no options).</summary>
    public static (SshPublicKey? Key, string? Comment, string? Error) ParseAuthorizedKey(string? line)
    {
        var trimmed = (line ?? "").Trim();
        if (trimmed.Length == 0)
        {
            return (null, null, "Public key is required, as one line in authorized_keys format: 'ssh-ed25519 AAAA... comment'.");
        }

        // Checked first: a private key's lines would otherwise be read as an algorithm and a long "comment".
        if ((trimmed.StartsWith("-----BEGIN ", StringComparison.Ordinal) && trimmed.Contains("PRIVATE KEY-----", StringComparison.Ordinal))
            || trimmed.StartsWith("PuTTY-User-Key-File-", StringComparison.Ordinal))
        {
            return (null, null, "This is a private key, which stays with its owner: give the public key (the .pub file), "
                                + "one line such as 'ssh-ed25519 AAAA... comment'.");
        }

        if (trimmed.Length > MaxBlobBytes * 2)
        {
            return (null, null, $"Public key line is longer than {MaxBlobBytes * 2} characters.");
        }

        var parts = trimmed.Split((char[]?)null, 3, StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length < 2)
        {
            return (null, null, "Public key must be 'algorithm base64-key [comment]'.");
        }

        var (key, error) = Parse(parts[0], parts[1]);
        var comment = parts.Length == 3 ? parts[2].Trim() : null;
        if (comment is { Length: > 200 })
        {
            return (null, null, "Public key comment is longer than 200 characters.");
        }

        if (key is SshPublicKey { Algorithm: "ssh-rsa" } rsa && RsaBits(rsa.Blob) < MinRsaBits)
        {
            return (null, null, $"RSA keys shorter than {MinRsaBits} bits are refused.");
        }

        return (key, comment, error);
    }

    /// <summary>
    /// Parses a key as the gateway presents it. <paramref name="algorithm"/> may be an RSA signature algorithm
    /// (rsa-sha2-256/512), which uses an ssh-rsa key.
    /// </summary>
    public static (SshPublicKey? Key, string? Error) Parse(string? algorithm, string? base64)
    {
        algorithm = algorithm?.Trim() ?? "";
        var keyType = algorithm is "rsa-sha2-256" or "rsa-sha2-512" ? "ssh-rsa" : algorithm;
        if (!SupportedAlgorithms.Contains(keyType))
        {
            return (null, $"Unsupported key algorithm '{(algorithm.Length > 64 ? algorithm[..64] + "..." : algorithm)}'.");
        }

        if (string.IsNullOrWhiteSpace(base64) || base64.Length > (MaxBlobBytes + 2) / 3 * 4)
        {
            return (null, $"Public key blob must be base64 of at most {MaxBlobBytes} bytes.");
        }

        var blob = new byte[base64.Length];
        if (!Convert.TryFromBase64String(base64.Trim(), blob, out var length))
        {
            return (null, "Public key blob is not valid base64.");
        }

        blob = blob[..length];
        return IsWellFormed(keyType, blob)
            ? (new SshPublicKey(keyType, blob), null)
            : (null, $"Public key blob is not a well-formed {keyType} key.");
    }

    private static bool IsWellFormed(string keyType, byte[] blob)
    {
        var reader = new WireReader(blob);
        if (reader.ReadString() is not { } type || Encoding.ASCII.GetString(type) != keyType)
        {
            return false;
        }

        var fieldsRead = keyType switch
        {
            "ssh-ed25519" => reader.ReadString() is { Length: 32 },
            "sk-ssh-ed25519@openssh.com" => reader.ReadString() is { Length: 32 } && reader.ReadString() is { Length: > 0 },
            "ssh-rsa" => reader.ReadString() is { Length: > 0 } && reader.ReadString() is { Length: > 0 },
            _ => reader.ReadString() is { } curve && Encoding.ASCII.GetString(curve) == Curves[keyType]
                 && reader.ReadString() is { Length: > 0 } point && point[0] == 0x04
                 && (!keyType.StartsWith("sk-", StringComparison.Ordinal) || reader.ReadString() is { Length: > 0 }),
        };
        return fieldsRead && reader.AtEnd;
    }

    private static int RsaBits(byte[] blob)
    {
        var reader = new WireReader(blob);
        reader.ReadString();
        reader.ReadString();
        var modulus = reader.ReadString()!;
        return (int)new BigInteger(modulus, isUnsigned: true, isBigEndian: true).GetBitLength();
    }

    private ref struct WireReader(ReadOnlySpan<byte> data)
    {
        private ReadOnlySpan<byte> _rest = data;

        public readonly bool AtEnd => _rest.IsEmpty;

        public byte[]? ReadString()
        {
            if (_rest.Length < 4)
            {
                return null;
            }

            var length = BinaryPrimitives.ReadUInt32BigEndian(_rest);
            if (length > (uint)(_rest.Length - 4))
            {
                _rest = [];
                return null;
            }

            var value = _rest.Slice(4, (int)length).ToArray();
            _rest = _rest[(4 + (int)length)..];
            return value;
        }
    }
}
