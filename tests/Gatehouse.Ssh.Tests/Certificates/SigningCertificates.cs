using Gatehouse.Ssh.Certificates;
using Gatehouse.Ssh.Tests.TestGateway;
using Gatehouse.Vocabulary;

namespace Gatehouse.Ssh.Tests.Certificates;

/// <summary>Our certificates read by ssh-keygen, and ssh-keygen's read and verified by us.</summary>
public class SigningCertificates : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 12, 4, 21, 0, 0, TimeSpan.Zero);
    private readonly string _directory = Directory.CreateTempSubdirectory("gatehouse-certs-").FullName;

    public static TheoryData<string> CaKeyTypes => new(SshCertificateAuthority.KeyTypes);

    [Theory]
    [MemberData(nameof(CaKeyTypes))]
    public async Task Should_sign_a_user_certificate_that_ssh_keygen_reads_field_by_field(string caKeyType)
    {
        using var ca = SshCertificateAuthority.Generate(caKeyType);
        var userKey = await NewKeyAsync("user", "ed25519");

        var certificate = ca.Sign(new SshCertificateRequest(userKey, SshCertificateType.User, 4242, "alice session 7f3a",
            ["deploy", "root"], Now.AddMinutes(-1), Now.AddMinutes(5),
            new Dictionary<string, string> { ["source-address"] = "10.0.0.1/32", ["force-command"] = "uptime" },
            new Dictionary<string, string> { ["permit-pty"] = "", ["permit-X11-forwarding"] = "" }));
        var file = Path.Combine(_directory, "user-cert.pub");
        await File.WriteAllTextAsync(file, certificate.ToLine() + "\n");

        var listing = await OpenSsh.RunAsync("ssh-keygen", ["-L", "-f", file]);

        Assert.True(listing.ExitCode == 0, listing.Error);
        var text = listing.Text;
        Assert.Contains("Type: ssh-ed25519-cert-v01@openssh.com user certificate", text);
        Assert.Contains($"Signing CA: {CaName(caKeyType)} {ca.PublicKey.Fingerprint}", text);
        Assert.Contains("Key ID: \"alice session 7f3a\"", text);
        Assert.Contains("Serial: 4242", text);
        Assert.Contains($"Valid: from {Now.AddMinutes(-1).LocalDateTime:yyyy-MM-ddTHH:mm:ss} to {Now.AddMinutes(5).LocalDateTime:yyyy-MM-ddTHH:mm:ss}", text);
        Assert.Matches(@"Principals:\s*\n\s+deploy\s*\n\s+root", text);
        Assert.Contains("force-command uptime", text);
        Assert.Contains("source-address 10.0.0.1/32", text);
        Assert.Matches(@"Extensions:\s*\n\s+permit-X11-forwarding\s*\n\s+permit-pty", text);
        Assert.DoesNotContain("port-forwarding", text);
    }

    [Fact]
    public async Task Should_sign_a_host_certificate_that_ssh_keygen_reads_and_that_verifies_against_the_CA()
    {
        using var ca = SshCertificateAuthority.Generate("ssh-ed25519");
        var hostKey = await NewKeyAsync("host", "ecdsa");

        var certificate = ca.Sign(new SshCertificateRequest(hostKey, SshCertificateType.Host, 1, "web1 host key",
            ["web1.example.net"], Now, Now.AddDays(30)));
        var file = Path.Combine(_directory, "host-cert.pub");
        await File.WriteAllTextAsync(file, certificate.ToLine() + "\n");

        var listing = await OpenSsh.RunAsync("ssh-keygen", ["-L", "-f", file]);

        Assert.True(listing.ExitCode == 0, listing.Error);
        Assert.Contains("Type: ecdsa-sha2-nistp256-cert-v01@openssh.com host certificate", listing.Text);
        Assert.Null(SshCertificateValidation.Check(SshCertificate.ParseLine(certificate.ToLine()), SshCertificateType.Host, [ca.PublicKey],
            "web1.example.net", Now.AddDays(1), new HashSet<string>()));
    }

    [Theory]
    [InlineData("ed25519")]
    [InlineData("ecdsa")]
    [InlineData("rsa")]
    public async Task Should_read_and_verify_what_ssh_keygen_signs(string caKeyType)
    {
        await NewKeyAsync("ca", caKeyType);
        var userKey = await NewKeyAsync("user", "ed25519");
        var signing = await OpenSsh.RunAsync("ssh-keygen", ["-q", "-s", Path.Combine(_directory, "ca"), "-I", "bob@example", "-z", "99",
            "-n", "bob,ops", "-V", "20261204200000Z:20261204220000Z", "-O", "force-command=/usr/bin/id", "-O", "no-port-forwarding",
            Path.Combine(_directory, "user.pub")]);
        Assert.True(signing.ExitCode == 0, signing.Error);
        var caKey = OpenSshPublicKey.ParseLine(await File.ReadAllTextAsync(Path.Combine(_directory, "ca.pub"))).Key!;

        var certificate = SshCertificate.ParseLine(await File.ReadAllTextAsync(Path.Combine(_directory, "user-cert.pub")));

        Assert.Equal(SshCertificateType.User, certificate.Type);
        Assert.Equal(userKey.Blob, certificate.PublicKey.Blob);
        Assert.Equal(99UL, certificate.Serial);
        Assert.Equal("bob@example", certificate.KeyId);
        Assert.Equal(["bob", "ops"], certificate.Principals);
        Assert.Equal(new DateTimeOffset(2026, 12, 4, 20, 0, 0, TimeSpan.Zero), certificate.ValidAfterTime);
        Assert.Equal(new DateTimeOffset(2026, 12, 4, 22, 0, 0, TimeSpan.Zero), certificate.ValidBeforeTime);
        Assert.Equal("/usr/bin/id", certificate.CriticalOptions["force-command"]);
        Assert.DoesNotContain("permit-port-forwarding", certificate.Extensions.Keys);
        Assert.Contains("permit-pty", certificate.Extensions.Keys);
        Assert.Equal(caKey.Blob, certificate.SignatureKey);
        Assert.True(certificate.HasValidSignature());
        Assert.Null(SshCertificateValidation.Check(certificate, SshCertificateType.User, [caKey], "ops", Now,
            SshCertificateValidation.UserCriticalOptions));
    }

    [Fact]
    public async Task Should_round_trip_what_it_signs_byte_for_byte()
    {
        using var ca = SshCertificateAuthority.Generate("ssh-ed25519");
        var userKey = await NewKeyAsync("user", "rsa");
        var signed = ca.Sign(new SshCertificateRequest(userKey, SshCertificateType.User, ulong.MaxValue - 1, "x", ["a"],
            DateTimeOffset.UnixEpoch, DateTimeOffset.MaxValue));

        var parsed = SshCertificate.Parse(signed.Blob);

        Assert.Equal(signed.Blob, parsed.Blob);
        Assert.Equal("ssh-rsa-cert-v01@openssh.com", parsed.CertificateKeyType);
        Assert.Equal(SshCertificate.Forever, parsed.ValidBefore);
        Assert.Equal(0UL, parsed.ValidAfter);
        Assert.True(parsed.HasValidSignature());
    }

    private async Task<OpenSshPublicKey> NewKeyAsync(string name, string type)
    {
        var path = Path.Combine(_directory, name);
        var result = await OpenSsh.RunAsync("ssh-keygen", ["-q", "-t", type, "-N", "", "-C", name, "-f", path]);
        Assert.True(result.ExitCode == 0, result.Error);
        return OpenSshPublicKey.ParseLine(await File.ReadAllTextAsync(path + ".pub")).Key!;
    }

    private static string CaName(string keyType) => keyType switch
    {
        "ssh-ed25519" => "ED25519",
        "ssh-rsa" => "RSA",
        _ => "ECDSA",
    };

    public void Dispose() => Directory.Delete(_directory, true);
}
