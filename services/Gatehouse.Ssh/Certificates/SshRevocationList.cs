using System.Security.Cryptography;
using Gatehouse.Ssh.Transport;
using Gatehouse.Vocabulary;

namespace Gatehouse.Ssh.Certificates;

/// <summary>
/// An OpenSSH key revocation list (PROTOCOL.krl, what <c>ssh-keygen -k</c> writes): revoked certificates by CA and serial,
/// serial range, serial bitmap or key id, and revoked plain keys by blob, SHA-1 or SHA-256. Read strictly: anything this
/// reader does not know (a section, a flag, trailing bytes, a signature it cannot check) is a <see cref="FormatException"/>,
/// so a list that cannot be read is never taken for one that revokes nothing.
/// </summary>
public sealed class SshRevocationList
{
    private const ulong Magic = 0x5353484b524c0a00UL; // "SSHKRL\n\0"
    private const uint FormatVersion = 1;

    /// <summary>A KRL far larger than any real one (OpenSSH's own for a big estate is kilobytes) is refused, not read.</summary>
    public const int MaxBytes = 16 * 1024 * 1024;

    private readonly List<CertificateRevocations> _certificates = [];
    private readonly HashSet<string> _keyBlobs = new(StringComparer.Ordinal);
    private readonly HashSet<string> _sha1 = new(StringComparer.Ordinal);
    private readonly HashSet<string> _sha256 = new(StringComparer.Ordinal);

    private SshRevocationList()
    {
    }

    public ulong Version { get; private init; }

    public DateTimeOffset GeneratedAt { get; private init; }

    public string Comment { get; private init; } = "";

    /// <summary>Parses a KRL; anything malformed or not understood is a <see cref="FormatException"/> saying what.</summary>
    public static SshRevocationList Parse(ReadOnlySpan<byte> data)
    {
        if (data.Length > MaxBytes) throw new FormatException($"The revocation list is larger than {MaxBytes} bytes");
        try
        {
            var reader = new SshReader(data);
            if (data.Length < 8 || reader.ReadUInt64() != Magic) throw new FormatException("This is not an OpenSSH KRL (no SSHKRL header)");
            if (reader.ReadUInt32() is var format && format != FormatVersion) throw new FormatException($"KRL format version {format} is not read here");
            var version = reader.ReadUInt64();
            var generated = reader.ReadUInt64();
            if (reader.ReadUInt64() is var flags && flags != 0) throw new FormatException($"The KRL has flags {flags:x}, which are not read here");
            reader.ReadBinary(); // reserved
            var list = new SshRevocationList
            {
                Version = version,
                GeneratedAt = DateTimeOffset.FromUnixTimeSeconds((long)Math.Min(generated, 253402300799UL)),
                Comment = reader.ReadString(),
            };
            while (reader.Remaining > 0)
            {
                var type = reader.ReadByte();
                var section = reader.ReadBinary();
                switch (type)
                {
                    case 1:
                        list._certificates.Add(CertificateRevocations.Read(section));
                        break;
                    case 2:
                        ReadEach(section, blob => list._keyBlobs.Add(Convert.ToBase64String(blob)));
                        break;
                    case 3:
                        ReadEach(section, hash => list._sha1.Add(Hash(hash, 20, "SHA-1")));
                        break;
                    case 5:
                        ReadEach(section, hash => list._sha256.Add(Hash(hash, 32, "SHA-256")));
                        break;
                    case 4:
                        throw new FormatException("The KRL is signed; signed KRLs are not read here (write it with ssh-keygen -k without -s on the list itself)");
                    default:
                        throw new FormatException($"The KRL has a section of unknown type {type}");
                }
            }

            return list;
        }
        catch (SshProtocolException e)
        {
            throw new FormatException($"The KRL is malformed: {e.Message}");
        }
    }

    /// <summary>Why the certificate is revoked (by itself, its certified key or its CA's key), or null when it is not.</summary>
    public string? Revoked(SshCertificate certificate)
    {
        foreach (var section in _certificates.Where(s => s.Ca is null || s.Ca.AsSpan().SequenceEqual(certificate.SignatureKey)))
        {
            if (section.Revokes(certificate) is { } why) return why;
        }

        return RevokedKey(certificate.PublicKey.Blob) is { } key ? $"its key is revoked ({key})"
            : RevokedKey(certificate.SignatureKey) is { } ca ? $"its CA key {certificate.CaFingerprint} is revoked ({ca})"
            : null;
    }

    private string? RevokedKey(byte[] blob) =>
        _keyBlobs.Contains(Convert.ToBase64String(blob)) ? "listed key"
        : _sha256.Contains(Convert.ToHexString(SHA256.HashData(blob))) ? $"SHA-256 {OpenSshPublicKey.FingerprintOf(blob)}"
        : _sha1.Contains(Convert.ToHexString(SHA1.HashData(blob))) ? "SHA-1 fingerprint"
        : null;

    private static string Hash(ReadOnlySpan<byte> hash, int length, string name) =>
        hash.Length == length ? Convert.ToHexString(hash) : throw new FormatException($"A {name} fingerprint in the KRL is {hash.Length} bytes, not {length}");

    private delegate void BlobAction(ReadOnlySpan<byte> blob);

    private static void ReadEach(ReadOnlySpan<byte> section, BlobAction add)
    {
        var reader = new SshReader(section);
        while (reader.Remaining > 0) add(reader.ReadBinary());
    }

    /// <summary>One KRL_SECTION_CERTIFICATES: the revocations of one CA (or of any CA, when its key is empty).</summary>
    private sealed class CertificateRevocations
    {
        private readonly HashSet<ulong> _serials = [];
        private readonly List<(ulong From, ulong To)> _ranges = [];
        private readonly List<(ulong Offset, byte[] Bits)> _bitmaps = [];
        private readonly HashSet<string> _keyIds = new(StringComparer.Ordinal);

        public byte[]? Ca { get; private init; }

        public static CertificateRevocations Read(ReadOnlySpan<byte> data)
        {
            var reader = new SshReader(data);
            var ca = reader.ReadBinary();
            if (!ca.IsEmpty && OpenSshPublicKey.KeyTypeOf(ca) is null) throw new FormatException("A KRL certificate section names an unreadable CA key");
            var section = new CertificateRevocations { Ca = ca.IsEmpty ? null : ca.ToArray() };
            reader.ReadBinary(); // reserved
            while (reader.Remaining > 0)
            {
                var type = reader.ReadByte();
                var inner = new SshReader(reader.ReadBinary());
                switch (type)
                {
                    case 0x20:
                        while (inner.Remaining > 0) section._serials.Add(inner.ReadUInt64());
                        break;
                    case 0x21:
                        var (from, to) = (inner.ReadUInt64(), inner.ReadUInt64());
                        if (from > to) throw new FormatException($"A KRL serial range runs backwards ({from} to {to})");
                        section._ranges.Add((from, to));
                        break;
                    case 0x22:
                        section._bitmaps.Add((inner.ReadUInt64(), inner.ReadPositiveMpint().ToArray()));
                        break;
                    case 0x23:
                        while (inner.Remaining > 0) section._keyIds.Add(inner.ReadString());
                        break;
                    default:
                        throw new FormatException($"A KRL certificate section has a part of unknown type 0x{type:x2}");
                }

                inner.ExpectEnd();
            }

            return section;
        }

        public string? Revokes(SshCertificate certificate)
        {
            var serial = certificate.Serial;
            if (_keyIds.Contains(certificate.KeyId)) return $"its key id \"{certificate.KeyId}\" is revoked";
            return _serials.Contains(serial) || _ranges.Any(r => serial >= r.From && serial <= r.To) || _bitmaps.Any(b => InBitmap(b, serial))
                ? $"its serial {serial} is revoked"
                : null;
        }

        // Bit i (counted from the least significant bit of the big-endian bitmap) revokes serial offset + i.
        private static bool InBitmap((ulong Offset, byte[] Bits) bitmap, ulong serial)
        {
            if (serial < bitmap.Offset) return false;
            var bit = serial - bitmap.Offset;
            var fromEnd = bit / 8;
            return fromEnd < (ulong)bitmap.Bits.Length && (bitmap.Bits[bitmap.Bits.Length - 1 - (int)fromEnd] & (1 << (int)(bit % 8))) != 0;
        }
    }
}
