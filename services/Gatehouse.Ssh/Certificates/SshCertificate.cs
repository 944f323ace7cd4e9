using System.Text;
using Gatehouse.Ssh.Authentication;
using Gatehouse.Ssh.Transport;
using Gatehouse.Vocabulary;

namespace Gatehouse.Ssh.Certificates;

/// <summary>
/// An OpenSSH certificate (PROTOCOL.certkeys): a public key, what it may be used for, and a CA's signature over both.
/// Parsing checks the structure only; <see cref="SshCertificateValidation"/> decides whether to trust it.
/// </summary>
public sealed class SshCertificate
{
    public const string Suffix = "-cert-v01@openssh.com";

    /// <summary>valid_before meaning "forever".</summary>
    public const ulong Forever = ulong.MaxValue;

    /// <summary>Far above an RSA-16384 key with a long principal list; anything longer is not a certificate.</summary>
    public const int MaxBlobBytes = 16 * 1024;

    /// <summary>How many length-prefixed fields each certified key type carries after its name.</summary>
    private static readonly Dictionary<string, int> KeyFieldCounts = new(StringComparer.Ordinal)
    {
        ["ssh-ed25519"] = 1,
        ["ssh-rsa"] = 2,
        ["ecdsa-sha2-nistp256"] = 2,
        ["ecdsa-sha2-nistp384"] = 2,
        ["ecdsa-sha2-nistp521"] = 2,
        ["sk-ssh-ed25519@openssh.com"] = 2,
        ["sk-ecdsa-sha2-nistp256@openssh.com"] = 3,
    };

    private SshCertificate(byte[] blob, int signedLength)
    {
        Blob = blob;
        SignedLength = signedLength;
    }

    /// <summary>The certificate type name, e.g. "ssh-ed25519-cert-v01@openssh.com".</summary>
    public string CertificateKeyType { get; private init; } = "";

    /// <summary>The certified key, as a plain public key (what authorized_keys would hold).</summary>
    public OpenSshPublicKey PublicKey { get; private init; } = null!;

    public byte[] Nonce { get; private init; } = [];

    public ulong Serial { get; private init; }

    public SshCertificateType Type { get; private init; }

    public string KeyId { get; private init; } = "";

    public IReadOnlyList<string> Principals { get; private init; } = [];

    /// <summary>Seconds since the epoch; 0 means "from always".</summary>
    public ulong ValidAfter { get; private init; }

    /// <summary>Seconds since the epoch; <see cref="Forever"/> means no end.</summary>
    public ulong ValidBefore { get; private init; }

    /// <summary>Option name to its value (empty for flags); an option this side does not understand refuses the certificate.</summary>
    public IReadOnlyDictionary<string, string> CriticalOptions { get; private init; } = new Dictionary<string, string>();

    public IReadOnlyDictionary<string, string> Extensions { get; private init; } = new Dictionary<string, string>();

    /// <summary>The CA's public key blob.</summary>
    public byte[] SignatureKey { get; private init; } = [];

    /// <summary>The signature blob (algorithm name and signature).</summary>
    public byte[] Signature { get; private init; } = [];

    /// <summary>The whole certificate in wire form (what a -cert.pub file holds in base64).</summary>
    public byte[] Blob { get; }

    /// <summary>How many leading bytes of <see cref="Blob"/> the signature covers.</summary>
    private int SignedLength { get; }

    public string CaFingerprint => OpenSshPublicKey.FingerprintOf(SignatureKey);

    /// <summary>The -cert.pub line, "type base64 [comment]".</summary>
    public string ToLine(string? comment = null) =>
        $"{CertificateKeyType} {Convert.ToBase64String(Blob)}{(string.IsNullOrEmpty(comment) ? "" : " " + comment)}";

    public DateTimeOffset ValidAfterTime => ToTime(ValidAfter);

    /// <summary>The end of validity; <see cref="DateTimeOffset.MaxValue"/> for a certificate valid forever.</summary>
    public DateTimeOffset ValidBeforeTime => ToTime(ValidBefore);

    /// <summary>The plain key type a certificate type certifies, or null when it is not a certificate type we read.</summary>
    public static string? CertifiedKeyType(string certificateKeyType) =>
        certificateKeyType.EndsWith(Suffix, StringComparison.Ordinal)
        && certificateKeyType[..^Suffix.Length] is var plain && KeyFieldCounts.ContainsKey(PlainName(plain))
            ? PlainName(plain)
            : null;

    /// <summary>The certificate type for a plain key type: ssh-ed25519-cert-v01@openssh.com, sk-ssh-ed25519-cert-v01@openssh.com.</summary>
    public static string CertificateTypeFor(string keyType) =>
        keyType.EndsWith("@openssh.com", StringComparison.Ordinal) ? keyType[..^"@openssh.com".Length] + Suffix : keyType + Suffix;

    public static bool IsCertificateType(string keyType) => CertifiedKeyType(keyType) is not null;

    /// <summary>Parses a -cert.pub line, "type base64 [comment]".</summary>
    public static SshCertificate ParseLine(string line)
    {
        var parts = (line ?? "").Trim().Split((char[]?)null, 3, StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length < 2) throw new FormatException("A certificate line is 'type base64 [comment]'");
        if (parts[1].Length > (MaxBlobBytes + 2) / 3 * 4) throw new FormatException($"The certificate is longer than {MaxBlobBytes} bytes");
        byte[] blob;
        try
        {
            blob = Convert.FromBase64String(parts[1]);
        }
        catch (FormatException)
        {
            throw new FormatException("The certificate is not valid base64");
        }

        var certificate = Parse(blob);
        if (certificate.CertificateKeyType != parts[0])
        {
            throw new FormatException($"The line names {parts[0]} but holds a {certificate.CertificateKeyType}");
        }

        return certificate;
    }

    /// <summary>Parses a certificate blob; anything malformed is a <see cref="FormatException"/> saying what.</summary>
    public static SshCertificate Parse(ReadOnlySpan<byte> blob)
    {
        if (blob.Length > MaxBlobBytes) throw new FormatException($"The certificate is longer than {MaxBlobBytes} bytes");
        try
        {
            var reader = new SshReader(blob);
            var certificateType = reader.ReadString();
            var keyType = CertifiedKeyType(certificateType)
                          ?? throw new FormatException($"'{Shorten(certificateType)}' is not a certificate type this gateway reads");
            var nonce = reader.ReadBinary().ToArray();
            if (nonce.Length < 16) throw new FormatException("The certificate's nonce is shorter than 16 bytes");

            using var plain = new SshWriter();
            plain.WriteString(keyType);
            for (var i = 0; i < KeyFieldCounts[keyType]; i++) plain.WriteBinary(reader.ReadBinary());
            var (publicKey, keyError) = OpenSshPublicKey.Parse(keyType, Convert.ToBase64String(plain.WrittenSpan));
            if (publicKey is null) throw new FormatException($"The certified key: {keyError}");

            var serial = reader.ReadUInt64();
            var type = reader.ReadUInt32();
            if (type is not ((uint)SshCertificateType.User or (uint)SshCertificateType.Host))
            {
                throw new FormatException($"Unknown certificate type {type}");
            }

            var keyId = reader.ReadString();
            var principals = ReadPrincipals(reader.ReadBinary());
            var validAfter = reader.ReadUInt64();
            var validBefore = reader.ReadUInt64();
            var criticalOptions = ReadOptions(reader.ReadBinary(), "critical option");
            var extensions = ReadOptions(reader.ReadBinary(), "extension");
            reader.ReadBinary(); // reserved
            var signatureKey = reader.ReadBinary().ToArray();
            if (OpenSshPublicKey.KeyTypeOf(signatureKey) is not { } caType || CertifiedKeyType(caType) is not null
                || UserKeySignature.Algorithms.All(a => UserKeySignature.KeyTypeFor(a) != caType))
            {
                throw new FormatException("The signing CA key is not a plain ed25519, ECDSA or RSA key");
            }

            var signedLength = reader.Position;
            var signature = reader.ReadBinary().ToArray();
            reader.ExpectEnd();
            return new SshCertificate(blob.ToArray(), signedLength)
            {
                CertificateKeyType = certificateType,
                PublicKey = publicKey,
                Nonce = nonce,
                Serial = serial,
                Type = (SshCertificateType)type,
                KeyId = keyId,
                Principals = principals,
                ValidAfter = validAfter,
                ValidBefore = validBefore,
                CriticalOptions = criticalOptions,
                Extensions = extensions,
                SignatureKey = signatureKey,
                Signature = signature,
            };
        }
        catch (SshProtocolException e)
        {
            throw new FormatException($"The certificate is malformed: {e.Message}");
        }
    }

    /// <summary>Whether <see cref="SignatureKey"/> signed this certificate with an algorithm we accept (never ssh-rsa/SHA-1).</summary>
    public bool HasValidSignature()
    {
        try
        {
            var reader = new SshReader(Signature);
            var algorithm = reader.ReadString();
            return UserKeySignature.KeyTypeFor(algorithm) is not null
                   && UserKeySignature.Verify(algorithm, SignatureKey, Signature, Blob.AsSpan(0, SignedLength));
        }
        catch (SshProtocolException)
        {
            return false;
        }
    }

    public override string ToString() =>
        $"{Type} certificate serial {Serial} id \"{KeyId}\" for {string.Join(",", Principals)} from CA {CaFingerprint}";

    internal static byte[] Encode(string certificateKeyType, ReadOnlySpan<byte> nonce, OpenSshPublicKey publicKey, ulong serial,
        SshCertificateType type, string keyId, IReadOnlyList<string> principals, ulong validAfter, ulong validBefore,
        IReadOnlyDictionary<string, string> criticalOptions, IReadOnlyDictionary<string, string> extensions, ReadOnlySpan<byte> signatureKey)
    {
        using var writer = new SshWriter(1024);
        writer.WriteString(certificateKeyType);
        writer.WriteBinary(nonce);
        var plain = new SshReader(publicKey.Blob);
        plain.ReadString();
        writer.WriteRaw(publicKey.Blob.AsSpan(plain.Position));
        writer.WriteUInt64(serial);
        writer.WriteUInt32((uint)type);
        writer.WriteString(keyId);
        using (var list = new SshWriter())
        {
            foreach (var principal in principals) list.WriteString(principal);
            writer.WriteBinary(list.WrittenSpan);
        }

        writer.WriteUInt64(validAfter);
        writer.WriteUInt64(validBefore);
        writer.WriteBinary(EncodeOptions(criticalOptions));
        writer.WriteBinary(EncodeOptions(extensions));
        writer.WriteBinary([]);
        writer.WriteBinary(signatureKey);
        return writer.ToArray();
    }

    internal static SshCertificate FromSigned(byte[] signedPart, byte[] signature)
    {
        using var writer = new SshWriter(signedPart.Length + signature.Length + 8);
        writer.WriteRaw(signedPart);
        writer.WriteBinary(signature);
        return Parse(writer.WrittenSpan);
    }

    /// <summary>Seconds since the epoch for a time; <see cref="DateTimeOffset.MaxValue"/> is "forever".</summary>
    public static ulong ToSeconds(DateTimeOffset time) =>
        time == DateTimeOffset.MaxValue ? Forever : (ulong)Math.Max(0, time.ToUnixTimeSeconds());

    private static DateTimeOffset ToTime(ulong seconds) =>
        seconds >= (ulong)DateTimeOffset.MaxValue.ToUnixTimeSeconds() ? DateTimeOffset.MaxValue : DateTimeOffset.FromUnixTimeSeconds((long)seconds);

    // Options are sorted by name, each name once; the value is itself a string inside the data string (empty for flags).
    private static byte[] EncodeOptions(IReadOnlyDictionary<string, string> options)
    {
        using var writer = new SshWriter();
        foreach (var (name, value) in options.OrderBy(o => o.Key, StringComparer.Ordinal))
        {
            writer.WriteString(name);
            if (value.Length == 0)
            {
                writer.WriteBinary([]);
                continue;
            }

            using var data = new SshWriter();
            data.WriteString(value);
            writer.WriteBinary(data.WrittenSpan);
        }

        return writer.ToArray();
    }

    private static Dictionary<string, string> ReadOptions(ReadOnlySpan<byte> packed, string what)
    {
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        var reader = new SshReader(packed);
        string? previous = null;
        while (reader.Remaining > 0)
        {
            var name = reader.ReadString();
            var data = reader.ReadBinary();
            if (previous is not null && string.CompareOrdinal(previous, name) >= 0)
            {
                throw new FormatException($"The certificate's {what}s are not in order or repeat '{Shorten(name)}'");
            }

            string value;
            if (data.IsEmpty)
            {
                value = "";
            }
            else
            {
                var inner = new SshReader(data);
                value = inner.ReadString();
                inner.ExpectEnd();
            }

            options[name] = value;
            previous = name;
        }

        return options;
    }

    private static List<string> ReadPrincipals(ReadOnlySpan<byte> packed)
    {
        var principals = new List<string>();
        var reader = new SshReader(packed);
        while (reader.Remaining > 0) principals.Add(reader.ReadString());
        return principals;
    }

    private static string PlainName(string name) => name switch
    {
        // sk- types put the -cert-v01 before their @openssh.com: sk-ssh-ed25519-cert-v01@openssh.com.
        "sk-ssh-ed25519" => "sk-ssh-ed25519@openssh.com",
        "sk-ecdsa-sha2-nistp256" => "sk-ecdsa-sha2-nistp256@openssh.com",
        _ => name,
    };

    private static string Shorten(string text) => text.Length > 64 ? text[..64] + "..." : text;
}
