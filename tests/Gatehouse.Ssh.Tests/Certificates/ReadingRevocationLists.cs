using System.Net;
using Gatehouse.Ssh.Certificates;
using Gatehouse.Ssh.Tests.TestGateway;
using Gatehouse.Vocabulary;

namespace Gatehouse.Ssh.Tests.Certificates;

/// <summary>KRLs as ssh-keygen -k writes them, read strictly: each way of revoking is honoured, and a damaged list is no list.</summary>
public class ReadingRevocationLists : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("gatehouse-krl-").FullName;

    [Fact]
    public async Task Should_revoke_by_serial_range_and_key_id_under_the_CA_that_signed_and_not_under_another()
    {
        await KeyAsync("ca");
        await KeyAsync("other-ca");
        var seven = await CertificateAsync("alice", serial: 7, keyId: "alice-laptop");
        var eight = await CertificateAsync("bob", serial: 8, keyId: "bob-laptop");
        var twenty = await CertificateAsync("carol", serial: 20, keyId: "carol-laptop");
        var forty = await CertificateAsync("dave", serial: 40, keyId: "dave-laptop");

        var byCa = await KrlAsync("ca.pub", "serial: 7", "serial: 15-25", "id: dave-laptop");
        var byOtherCa = await KrlAsync("other-ca.pub", "serial: 7");

        Assert.Equal("its serial 7 is revoked", byCa.Revoked(seven));
        Assert.Null(byCa.Revoked(eight));
        Assert.Equal("its serial 20 is revoked", byCa.Revoked(twenty));
        Assert.Equal("its key id \"dave-laptop\" is revoked", byCa.Revoked(forty));
        Assert.Null(byOtherCa.Revoked(seven));
    }

    [Fact]
    public async Task Should_revoke_serials_written_as_a_bitmap()
    {
        await KeyAsync("ca");
        // ssh-keygen packs many nearby serials into a bitmap section.
        var serials = Enumerable.Range(100, 60).Where(s => s % 3 == 0).Select(s => $"serial: {s}").ToArray();
        var krl = await KrlAsync("ca.pub", serials);

        Assert.NotNull(krl.Revoked(await CertificateAsync("a", serial: 102, keyId: "a")));
        Assert.NotNull(krl.Revoked(await CertificateAsync("b", serial: 159, keyId: "b")));
        Assert.Null(krl.Revoked(await CertificateAsync("c", serial: 103, keyId: "c")));
        Assert.Null(krl.Revoked(await CertificateAsync("d", serial: 162, keyId: "d")));
    }

    [Fact]
    public async Task Should_revoke_a_certificate_whose_key_or_CA_key_is_revoked_as_a_plain_key()
    {
        await KeyAsync("ca");
        var certificate = await CertificateAsync("erin", serial: 5, keyId: "erin");
        var byKey = await KrlAsync(null, (await File.ReadAllTextAsync(Path.Combine(_directory, "erin.pub"))).Trim());
        var byHash = await KrlAsync(null, "hash: " + certificate.PublicKey.Fingerprint);
        var byCaKey = await KrlAsync(null, (await File.ReadAllTextAsync(Path.Combine(_directory, "ca.pub"))).Trim());

        Assert.StartsWith("its key is revoked", byKey.Revoked(certificate));
        Assert.StartsWith("its key is revoked", byHash.Revoked(certificate));
        Assert.StartsWith("its CA key", byCaKey.Revoked(certificate));
    }

    [Fact]
    public async Task Should_refuse_to_read_a_list_that_is_cut_short_altered_or_not_a_KRL()
    {
        await KeyAsync("ca");
        await KrlAsync("ca.pub", "serial: 7", "id: x");
        var bytes = await File.ReadAllBytesAsync(Path.Combine(_directory, "krl"));

        Assert.Throws<FormatException>(() => SshRevocationList.Parse(bytes.AsSpan(0, bytes.Length - 3)));
        var unknownSection = bytes.Concat(new byte[] { 9, 0, 0, 0, 0 }).ToArray();
        Assert.Throws<FormatException>(() => SshRevocationList.Parse(unknownSection));
        Assert.Throws<FormatException>(() => SshRevocationList.Parse("ssh-ed25519 AAAA"u8));
        Assert.Throws<FormatException>(() => SshRevocationList.Parse([]));
    }

    [Theory]
    [InlineData("10.1.2.3", "10.1.2.3", true)]
    [InlineData("10.0.0.0/8,192.0.2.7", "192.0.2.7", true)]
    [InlineData("10.0.0.0/8", "::ffff:10.9.9.9", true)]
    [InlineData("10.0.0.0/8", "192.0.2.7", false)]
    [InlineData("2001:db8::/32", "2001:db8::1", true)]
    [InlineData("not-an-address", "127.0.0.1", false)]
    [InlineData("", "127.0.0.1", false)]
    public void Should_allow_a_source_address_only_inside_the_certificates_list(string allowed, string source, bool allowedFrom) =>
        Assert.Equal(allowedFrom, SshCertificateValidation.CheckSourceAddress(allowed, IPAddress.Parse(source)) is null);

    private async Task KeyAsync(string name)
    {
        var result = await OpenSsh.RunAsync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", name, "-f", Path.Combine(_directory, name)]);
        Assert.True(result.ExitCode == 0, result.Error);
    }

    private async Task<SshCertificate> CertificateAsync(string user, ulong serial, string keyId)
    {
        await KeyAsync(user);
        var signing = await OpenSsh.RunAsync("ssh-keygen", ["-q", "-s", Path.Combine(_directory, "ca"), "-I", keyId, "-z", serial.ToString(),
            "-n", user, Path.Combine(_directory, user + ".pub")]);
        Assert.True(signing.ExitCode == 0, signing.Error);
        return SshCertificate.ParseLine(await File.ReadAllTextAsync(Path.Combine(_directory, user + "-cert.pub")));
    }

    /// <summary>ssh-keygen -k from a specification file (serial:, id:, hash: lines or plain public keys), under <paramref name="caPublicKey"/> when given.</summary>
    private async Task<SshRevocationList> KrlAsync(string? caPublicKey, params string[] specification)
    {
        var spec = Path.Combine(_directory, "krl-spec");
        await File.WriteAllLinesAsync(spec, specification);
        var krl = Path.Combine(_directory, "krl");
        File.Delete(krl);
        string[] ca = caPublicKey is null ? [] : ["-s", Path.Combine(_directory, caPublicKey)];
        var result = await OpenSsh.RunAsync("ssh-keygen", ["-k", "-f", krl, .. ca, spec]);
        Assert.True(result.ExitCode == 0, result.Error);
        return SshRevocationList.Parse(await File.ReadAllBytesAsync(krl));
    }

    public void Dispose() => Directory.Delete(_directory, true);
}
