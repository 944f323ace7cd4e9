using Gatehouse.ServiceDefaults.Settings;
using Gatehouse.SessionBroker.Doctor;
using Gatehouse.Ssh.Certificates;
using Gatehouse.Vocabulary;
using Microsoft.Extensions.Options;

namespace Gatehouse.SessionBroker.Gateway.CertificateLogins;

/// <summary>
/// What a certificate login is checked against at one moment: the trusted user CAs and the revocation list, or why
/// certificate logins are refused altogether (not enabled, or a file that cannot be read: fail closed).
/// </summary>
public sealed record CertificateTrust(IReadOnlyList<OpenSshPublicKey> Cas, SshRevocationList? Revocations, string? Unavailable)
{
    public static CertificateTrust NotEnabled { get; } = Refusing("this gateway does not accept certificates (no user CA is trusted)");

    public static CertificateTrust Refusing(string why) => new([], null, why);
}

/// <summary>
/// The trusted user CAs and the KRL the settings name (<see cref="UserCertificateSettings"/>), parsed once per version of
/// each file: a file is read again when its path, last write time, length or identity (another file renamed over it)
/// changes, so a new KRL takes effect at the next login without reading both files at every one. A file that cannot be
/// read is tried again at each login (a fixed permission changes no part of the stamp) and refuses every certificate
/// login meanwhile; its problem is logged once per change of the file or of the problem, not once per login.
/// </summary>
public sealed class UserCertificateTrust(IOptions<GatewaySettings> options, StatePaths paths, TimeProvider clock,
    ILogger<UserCertificateTrust> logger)
{
    /// <summary>A CA file this long is not a list of CA keys.</summary>
    private const int MaxCaFileBytes = 1024 * 1024;

    private readonly ParsedFile<IReadOnlyList<OpenSshPublicKey>> _cas = new(ParseCas);
    private readonly ParsedFile<SshRevocationList> _revocations = new(bytes => SshRevocationList.Parse(bytes));

    public CertificateTrust Load()
    {
        var settings = options.Value.UserCertificates;
        if (string.IsNullOrWhiteSpace(settings.TrustedCaKeysFile))
        {
            return CertificateTrust.NotEnabled;
        }

        var caFile = paths.Resolve(settings.TrustedCaKeysFile);
        if (Read(_cas, caFile, MaxCaFileBytes, "The trusted user CA file") is not { } cas)
        {
            return CertificateTrust.Refusing("the gateway cannot read its trusted user CAs, so every certificate login is refused");
        }

        if (string.IsNullOrWhiteSpace(settings.RevokedKeysFile))
        {
            return new CertificateTrust(cas, null, null);
        }

        var krlFile = paths.Resolve(settings.RevokedKeysFile);
        return Read(_revocations, krlFile, SshRevocationList.MaxBytes, "The revocation list") is { } revocations
            ? new CertificateTrust(cas, revocations, null)
            : CertificateTrust.Refusing("the gateway cannot read its certificate revocation list, so every certificate login is refused");
    }

    private T? Read<T>(ParsedFile<T> file, string path, long maxBytes, string what) where T : class
    {
        var (content, problem, isNew) = file.Read(path, maxBytes, clock.GetUtcNow().UtcDateTime);
        if (problem is not null && isNew)
        {
            logger.LogError("{What} {File} cannot be read ({Problem}): every certificate login is refused until it can", what, path, problem);
        }

        return content;
    }

    /// <summary>The CA keys, one a line; a file with a line that is not a public key, or with none, is refused whole.</summary>
    private static IReadOnlyList<OpenSshPublicKey> ParseCas(byte[] bytes)
    {
        var cas = new List<OpenSshPublicKey>();
        using var reader = new StringReader(new System.Text.UTF8Encoding(false, true).GetString(bytes).TrimStart('\uFEFF'));
        var number = 0;
        while (reader.ReadLine() is { } line)
        {
            number++;
            if (line.Trim() is "" || line.TrimStart().StartsWith('#')) continue;
            var (key, _, error) = OpenSshPublicKey.ParseLine(line);
            cas.Add(key ?? throw new FormatException($"line {number}: {error}"));
        }

        return cas.Count > 0 ? cas : throw new FormatException("it lists no CA key");
    }
}

/// <summary>
/// One file's parsed content, kept while the file's stamp (path, last write time, length, identity) stays the same. Only a
/// successful parse is kept; a failure is remembered only so that it is reported once per file version and problem.
/// A file written within <see cref="RacyWindow"/> of being read is not kept: the file system's clock is coarse (a few
/// milliseconds), so a second write of the same length in the same tick would keep the stamp and hide the new content
/// (a KRL revoking one more serial), as git treats a "racily clean" file.
/// </summary>
internal sealed class ParsedFile<T>(Func<byte[], T> parse) where T : class
{
    private readonly Lock _gate = new();
    private (FileStamp Stamp, T Content)? _parsed;
    private (FileStamp? Stamp, string Problem)? _failed;

    public static readonly TimeSpan RacyWindow = TimeSpan.FromSeconds(2);

    /// <summary>The content, or the problem and whether it is news (not reported for this version of the file yet).</summary>
    public (T? Content, string? Problem, bool IsNew) Read(string path, long maxBytes, DateTime now)
    {
        lock (_gate)
        {
            var (stamp, unseen) = FileStamp.Of(path);
            if (_parsed is { } parsed && parsed.Stamp == stamp)
            {
                return (parsed.Content, null, false);
            }

            try
            {
                // A file that cannot be examined cannot be told from its next version: it is not read (fail closed).
                if (stamp is not { } seen) throw new IOException(unseen);
                if (seen.Length > maxBytes) throw new FormatException($"larger than {maxBytes} bytes");
                // Stamped before reading: a file replaced while it is read gets a new stamp and is read again next time.
                var content = parse(File.ReadAllBytes(path));
                (_parsed, _failed) = (seen.LastWriteUtc > now - RacyWindow ? null : (seen, content), null);
                return (content, null, false);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or ArgumentException)
            {
                _parsed = null;
                var isNew = _failed is not { } failed || failed.Stamp != stamp || failed.Problem != e.Message;
                _failed = (stamp, e.Message);
                return (null, e.Message, isNew);
            }
        }
    }
}

/// <summary>
/// What tells one version of a file from the next without reading it, from one statx(2). The identity (device, inode)
/// tells a file replaced by a rename (written beside it, then moved over it, as a KRL is safely published) from the old
/// one even when the copy kept its time and length (cp -p, touch -r). Links are followed, so a mounted ConfigMap (a link
/// swapped to a new file) is read again too.
/// </summary>
internal readonly record struct FileStamp(string Path, DateTime LastWriteUtc, long Length, (ulong Device, ulong Inode) Identity)
{
    /// <summary>The stamp, or why the file cannot be examined (missing, or a folder above it closed to the gateway).</summary>
    public static (FileStamp? Stamp, string? Problem) Of(string path)
    {
        var (status, problem) = FileStatus.Examine(path, followLinks: true);
        return status is null
            ? (null, $"cannot examine {path}: {problem}")
            : (new FileStamp(path, status.LastWriteUtc, status.Length, status.Identity), null);
    }
}
