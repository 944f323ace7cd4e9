using Gatehouse.ServiceDefaults.Settings;
using Gatehouse.SessionBroker.Gateway.CertificateLogins;
using Gatehouse.Ssh.Certificates;
using Gatehouse.TestSupport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Gatehouse.SessionBroker.Tests.Gateway.CertificateLogins;

/// <summary>
/// The trusted CA file and the KRL are parsed once per version of each file (path, last write time, length, inode), not at
/// every certificate login; a file that cannot be read refuses every certificate login and is logged once per change.
/// </summary>
public sealed class When_the_gateway_reads_its_certificate_trust : IDisposable
{
    private static readonly SshCertificateAuthority TeamCa = SshCertificateAuthority.Generate("ssh-ed25519");
    private static readonly SshCertificateAuthority OtherCa = SshCertificateAuthority.Generate("ssh-ed25519");

    private readonly string _folder = Directory.CreateTempSubdirectory("gatehouse-user-cas-").FullName;
    private readonly CapturedLog _log = new();
    private readonly UserCertificateTrust _trust;

    // Well after the files are written, unless a test says otherwise.
    private readonly ManualClock _clock = new(DateTimeOffset.UtcNow.AddMinutes(10));

    public When_the_gateway_reads_its_certificate_trust()
    {
        var settings = new GatewaySettings { UserCertificates = { TrustedCaKeysFile = "user-cas", RevokedKeysFile = "revoked.krl" } };
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Gatehouse:State"] = _folder }).Build();
        var paths = new StatePaths(configuration, new HostingEnvironment { ContentRootPath = _folder });
        _trust = new UserCertificateTrust(Options.Create(settings), paths, _clock, new LoggerFactory([_log]).CreateLogger<UserCertificateTrust>());
        File.WriteAllText(CaFile, TeamCa.PublicKey.Line + " team\n");
        File.WriteAllBytes(KrlFile, Krl());
    }

    private string CaFile => Path.Combine(_folder, "user-cas");

    private string KrlFile => Path.Combine(_folder, "revoked.krl");

    private int Problems => _log.Entries.Count(e => e.Level == LogLevel.Error);

    /// <summary>
    /// An OpenSSH KRL: magic, format version, KRL version, generated date, flags, reserved, comment; then, with a serial, one
    /// certificate section for any CA (empty CA key, reserved) whose serial list revokes it.
    /// </summary>
    private static byte[] Krl(ulong? revokedSerial = null)
    {
        var bytes = new List<byte>("SSHKRL\n\0"u8.ToArray());
        void UInt32(uint value) => bytes.AddRange([(byte)(value >> 24), (byte)(value >> 16), (byte)(value >> 8), (byte)value]);
        void UInt64(ulong value) { UInt32((uint)(value >> 32)); UInt32((uint)value); }
        UInt32(1);
        UInt64(1);
        UInt64(1_764_892_800);
        UInt64(0);
        UInt32(0);
        UInt32(0);
        if (revokedSerial is { } serial)
        {
            bytes.Add(1);
            UInt32(4 + 4 + 1 + 4 + 8);
            UInt32(0);
            UInt32(0);
            bytes.Add(0x20);
            UInt32(8);
            UInt64(serial);
        }

        return bytes.ToArray();
    }

    [Fact]
    public void Should_keep_the_parsed_files_while_their_time_and_length_stay_the_same()
    {
        var first = _trust.Load();
        Assert.Null(first.Unavailable);
        Assert.Equal([TeamCa.PublicKey.Fingerprint], first.Cas.Select(c => c.Fingerprint));
        var written = File.GetLastWriteTimeUtc(CaFile);

        // Another CA of the same length, the old time put back: the stamp is unchanged, so the parsed list is kept.
        File.WriteAllText(CaFile, OtherCa.PublicKey.Line + " team\n");
        File.SetLastWriteTimeUtc(CaFile, written);
        var kept = _trust.Load();
        Assert.Same(first.Cas, kept.Cas);
        Assert.Same(first.Revocations, kept.Revocations);

        File.SetLastWriteTimeUtc(CaFile, written.AddSeconds(1));
        Assert.Equal([OtherCa.PublicKey.Fingerprint], _trust.Load().Cas.Select(c => c.Fingerprint));
        Assert.Equal(0, Problems);
    }

    [Fact]
    public void Should_not_keep_a_file_written_moments_before_it_was_read()
    {
        // The file system's clock is coarse: another write of the same length in the same tick keeps the stamp, so a
        // file this fresh is read again at each login until it is older than the window.
        var written = File.GetLastWriteTimeUtc(CaFile);
        _clock.Set(new DateTimeOffset(written).AddSeconds(1));
        Assert.Equal([TeamCa.PublicKey.Fingerprint], _trust.Load().Cas.Select(c => c.Fingerprint));

        File.WriteAllText(CaFile, OtherCa.PublicKey.Line + " team\n");
        File.SetLastWriteTimeUtc(CaFile, written);
        Assert.Equal([OtherCa.PublicKey.Fingerprint], _trust.Load().Cas.Select(c => c.Fingerprint));

        _clock.Set(new DateTimeOffset(written).AddSeconds(3));
        var settled = _trust.Load();
        File.WriteAllText(CaFile, TeamCa.PublicKey.Line + " team\n");
        File.SetLastWriteTimeUtc(CaFile, written);
        Assert.Same(settled.Cas, _trust.Load().Cas);
    }

    [Fact]
    public void Should_read_a_file_again_when_its_length_changes_though_its_time_does_not()
    {
        var written = File.GetLastWriteTimeUtc(CaFile);
        _trust.Load();

        File.WriteAllText(CaFile, $"# rotated\n{TeamCa.PublicKey.Line} team\n{OtherCa.PublicKey.Line} next\n");
        File.SetLastWriteTimeUtc(CaFile, written);

        Assert.Equal(2, _trust.Load().Cas.Count);
    }

    [Fact]
    public void Should_read_a_list_renamed_over_the_old_one_though_it_kept_the_time_and_length()
    {
        var now = DateTimeOffset.UtcNow;
        var certificate = TeamCa.Sign(new SshCertificateRequest(OtherCa.PublicKey, SshCertificateType.User, 7, "alice@laptop", ["alice"],
            now.AddHours(-1), now.AddHours(1), null));
        File.WriteAllBytes(KrlFile, Krl(revokedSerial: 6));
        var written = File.GetLastWriteTimeUtc(KrlFile);
        Assert.Null(_trust.Load().Revocations!.Revoked(certificate));

        // Published the safe way (written beside it, renamed over it) by a tool that keeps the time, as cp -p or touch -r do.
        var next = KrlFile + ".new";
        File.WriteAllBytes(next, Krl(revokedSerial: 7));
        File.SetLastWriteTimeUtc(next, written);
        File.Move(next, KrlFile, overwrite: true);

        Assert.Equal("its serial 7 is revoked", _trust.Load().Revocations!.Revoked(certificate));
    }

    [Fact]
    public void Should_refuse_every_certificate_while_a_file_is_invalid_and_log_it_once_per_change()
    {
        Assert.Null(_trust.Load().Unavailable);
        File.WriteAllBytes(KrlFile, Krl()[..^4]);

        for (var login = 0; login < 3; login++)
        {
            Assert.Contains("revocation list", _trust.Load().Unavailable);
        }

        Assert.Equal(1, Problems);
        File.WriteAllBytes(KrlFile, Krl()[..^2]);
        Assert.Contains("revocation list", _trust.Load().Unavailable);
        Assert.Contains("revocation list", _trust.Load().Unavailable);
        Assert.Equal(2, Problems);

        File.WriteAllText(CaFile, "not a key\n");
        Assert.Contains("trusted user CAs", _trust.Load().Unavailable);
        Assert.Contains("trusted user CAs", _trust.Load().Unavailable);
        Assert.Equal(3, Problems);

        File.WriteAllText(CaFile, TeamCa.PublicKey.Line + " team\n");
        File.WriteAllBytes(KrlFile, Krl());
        Assert.Null(_trust.Load().Unavailable);
        Assert.Equal(3, Problems);
    }

    [Fact]
    public void Should_refuse_every_certificate_while_a_file_is_missing()
    {
        Assert.Null(_trust.Load().Unavailable);
        File.Delete(KrlFile);

        Assert.Contains("revocation list", _trust.Load().Unavailable);
        Assert.Contains("revocation list", _trust.Load().Unavailable);
        Assert.Equal(1, Problems);
        Assert.Contains($"cannot examine {KrlFile}: No such file or directory", _log.Entries.Single(e => e.Level == LogLevel.Error).Message);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
