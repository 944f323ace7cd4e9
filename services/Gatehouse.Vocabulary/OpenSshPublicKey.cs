using System.Buffers.Binary;
using System.Numerics;
using System.Security.Cryptography;
using System.Text;

namespace Gatehouse.Vocabulary;

/// <summary>
/// An OpenSSH public key (RFC 4253 §6.6 wire blob and its type), checked structurally so garbage is never stored or
/// matched. The one parser, canonical line and fingerprint for user keys and host keys alike.
/// </summary>
public sealed record OpenSshPublicKey(string Algorithm, byte[] Blob)
{
    /// <summary>Far above a 16384-bit RSA key; anything longer is not a key.</summary>
    public const int MaxBlobBytes = 4096;

    /// <summary>The shortest RSA key a user may register.</summary>
    public const int MinUserRsaBits = 2048;

    public const int MaxCommentLength = 200;

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

    /// <summary>The canonical authorized_keys / known_hosts form, "type base64", without comment.</summary>
    public string Line => $"{Algorithm} {Base64}";

    /// <summary>Whether the key lives on a security key (FIDO); such a key can only be a user's.</summary>
    public bool IsSecurityKey => Algorithm.StartsWith("sk-", StringComparison.Ordinal);

    public static string FingerprintOf(ReadOnlySpan<byte> blob) =>
        "SHA256:" + Convert.ToBase64String(SHA256.HashData(blob)).TrimEnd('=');

    /// <summary>"type base64" for a blob as it came off the wire, its type read from the blob itself.</summary>
    public static string LineOf(ReadOnlySpan<byte> blob) => $"{KeyTypeOf(blob) ?? "unknown"} {Convert.ToBase64String(blob)}";

    /// <summary>The type a wire blob names in its first string, or null when it names none.</summary>
    public static string? KeyTypeOf(ReadOnlySpan<byte> blob) =>
        new WireReader(blob).ReadString() is { Length: > 0 } type ? Encoding.ASCII.GetString(type) : null;

    /// <summary>
    /// Parses a user's authorized_keys line, <c>algorithm base64 [comment]</c> (no options), with the rules for
    /// user keys on top of <see cref="ParseLine"/>: a short comment and RSA of at least <see cref="MinUserRsaBits"/>.
    /// </summary>
    public static (OpenSshPublicKey? Key, string? Comment, string? Error) ParseAuthorizedKey(string? line)
    {
        var (key, comment, error) = ParseLine(line);
        if (key is null)
        {
            return (null, null, error);
        }

        if (comment is { Length: > MaxCommentLength })
        {
            return (null, null, $"Public key comment is longer than {MaxCommentLength} characters.");
        }

        return key is { Algorithm: "ssh-rsa" } && RsaBits(key.Blob) < MinUserRsaBits
            ? (null, null, $"RSA keys shorter than {MinUserRsaBits} bits are refused.")
            : (key, comment, null);
    }

    /// <summary>Parses one OpenSSH public key line, <c>algorithm base64 [comment]</c>, as a .pub file or known_hosts holds it.</summary>
    public static (OpenSshPublicKey? Key, string? Comment, string? Error) ParseLine(string? line)
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
        return (key, parts.Length == 3 ? parts[2].Trim() : null, error);
    }

    /// <summary>
    /// Parses a key as the gateway presents it. <paramref name="algorithm"/> may be an RSA signature algorithm
    /// (rsa-sha2-256/512), which uses an ssh-rsa key.
    /// </summary>
    public static (OpenSshPublicKey? Key, string? Error) Parse(string? algorithm, string? base64)
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
            ? (new OpenSshPublicKey(keyType, blob), null)
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
