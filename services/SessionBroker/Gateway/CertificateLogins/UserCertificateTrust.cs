using Gatehouse.ServiceDefaults.Settings;
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

/// <summary>Reads the trusted user CAs and the KRL the settings name (<see cref="UserCertificateSettings"/>), fresh at each login.</summary>
public sealed class UserCertificateTrust(IOptions<GatewaySettings> options, StatePaths paths, ILogger<UserCertificateTrust> logger)
{
    /// <summary>A CA file this long is not a list of CA keys.</summary>
    private const int MaxCaFileBytes = 1024 * 1024;

    public CertificateTrust Load()
    {
        var settings = options.Value.UserCertificates;
        if (string.IsNullOrWhiteSpace(settings.TrustedCaKeysFile))
        {
            return CertificateTrust.NotEnabled;
        }

        var caFile = paths.Resolve(settings.TrustedCaKeysFile);
        if (ReadCas(caFile) is not { } cas)
        {
            return CertificateTrust.Refusing("the gateway cannot read its trusted user CAs, so every certificate login is refused");
        }

        if (string.IsNullOrWhiteSpace(settings.RevokedKeysFile))
        {
            return new CertificateTrust(cas, null, null);
        }

        var krlFile = paths.Resolve(settings.RevokedKeysFile);
        try
        {
            var info = new FileInfo(krlFile);
            if (info.Exists && info.Length > SshRevocationList.MaxBytes) throw new FormatException($"larger than {SshRevocationList.MaxBytes} bytes");
            return new CertificateTrust(cas, SshRevocationList.Parse(File.ReadAllBytes(krlFile)), null);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            logger.LogError("The revocation list {File} cannot be read ({Problem}): every certificate login is refused until it can",
                krlFile, e.Message);
            return CertificateTrust.Refusing("the gateway cannot read its certificate revocation list, so every certificate login is refused");
        }
    }

    /// <summary>The CA keys, or null (logged) when the file is missing, too large or has a line that is not a public key.</summary>
    private IReadOnlyList<OpenSshPublicKey>? ReadCas(string file)
    {
        try
        {
            var info = new FileInfo(file);
            if (info.Exists && info.Length > MaxCaFileBytes) throw new IOException($"larger than {MaxCaFileBytes} bytes");
            var cas = new List<OpenSshPublicKey>();
            var number = 0;
            foreach (var line in File.ReadAllLines(file))
            {
                number++;
                if (line.Trim() is "" || line.TrimStart().StartsWith('#')) continue;
                var (key, _, error) = OpenSshPublicKey.ParseLine(line);
                cas.Add(key ?? throw new IOException($"line {number}: {error}"));
            }

            if (cas.Count == 0) throw new IOException("it lists no CA key");
            return cas;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            logger.LogError("The trusted user CA file {File} cannot be read ({Problem}): every certificate login is refused until it can",
                file, e.Message);
            return null;
        }
    }
}
