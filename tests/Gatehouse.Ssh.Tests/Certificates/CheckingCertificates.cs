using Gatehouse.Ssh.Certificates;
using Gatehouse.Vocabulary;

namespace Gatehouse.Ssh.Tests.Certificates;

/// <summary>The trust decision, with the time passed in: each way a certificate can be wrong is named.</summary>
public class CheckingCertificates
{
    private static readonly DateTimeOffset Now = new(2026, 12, 4, 21, 0, 0, TimeSpan.Zero);
    private static readonly SshCertificateAuthority Ca = SshCertificateAuthority.Generate("ssh-ed25519");
    private static readonly SshCertificateAuthority OtherCa = SshCertificateAuthority.Generate("ssh-ed25519");
    private static readonly OpenSshPublicKey SubjectKey = SshCertificateAuthority.Generate("ssh-ed25519").PublicKey;

    private static SshCertificate Sign(SshCertificateAuthority? ca = null, SshCertificateType type = SshCertificateType.User,
        DateTimeOffset? from = null, DateTimeOffset? to = null, Dictionary<string, string>? critical = null) =>
        (ca ?? Ca).Sign(new SshCertificateRequest(SubjectKey, type, 7, "alice", ["deploy"], from ?? Now.AddMinutes(-1), to ?? Now.AddMinutes(5), critical));

    private static SshCertificateProblem? Problem(SshCertificate certificate, string principal = "deploy", DateTimeOffset? at = null,
        SshCertificateType type = SshCertificateType.User) =>
        SshCertificateValidation.Check(certificate, type, [OtherCa.PublicKey, Ca.PublicKey], principal, at ?? Now,
            new HashSet<string> { "source-address" })?.Problem;

    [Fact]
    public void Should_trust_a_certificate_from_a_trusted_CA_for_its_principal_within_its_window() =>
        Assert.Null(Problem(Sign()));

    [Fact]
    public void Should_refuse_a_certificate_before_its_window_and_from_the_second_it_ends()
    {
        Assert.Equal(SshCertificateProblem.NotYetValid, Problem(Sign(), at: Now.AddMinutes(-1).AddSeconds(-1)));
        Assert.Null(Problem(Sign(), at: Now.AddMinutes(5).AddSeconds(-1)));
        Assert.Equal(SshCertificateProblem.Expired, Problem(Sign(), at: Now.AddMinutes(5)));
    }

    [Fact]
    public void Should_refuse_another_principal() => Assert.Equal(SshCertificateProblem.WrongPrincipal, Problem(Sign(), principal: "root"));

    [Fact]
    public void Should_refuse_a_host_certificate_where_a_user_certificate_is_needed() =>
        Assert.Equal(SshCertificateProblem.WrongType, Problem(Sign(type: SshCertificateType.Host)));

    [Fact]
    public void Should_refuse_a_certificate_from_an_untrusted_CA()
    {
        using var stranger = SshCertificateAuthority.Generate("ecdsa-sha2-nistp256");
        Assert.Equal(SshCertificateProblem.UnknownCa, Problem(Sign(stranger)));
    }

    [Fact]
    public void Should_refuse_a_certificate_altered_after_signing()
    {
        var blob = Sign().Blob;
        // Serial sits after type name, nonce and key; flip a bit inside the key id text instead, found by content.
        var at = blob.AsSpan().IndexOf("alice"u8);
        blob[at] ^= 0x20;

        Assert.Equal(SshCertificateProblem.BadSignature, Problem(SshCertificate.Parse(blob)));
    }

    [Fact]
    public void Should_refuse_a_critical_option_the_caller_does_not_honour()
    {
        Assert.Null(Problem(Sign(critical: new() { ["source-address"] = "10.0.0.0/8" })));
        Assert.Equal(SshCertificateProblem.UnhonouredCriticalOption, Problem(Sign(critical: new() { ["force-command"] = "id" })));
    }

    [Fact]
    public void Should_reject_malformed_blobs_with_a_format_error()
    {
        var blob = Sign().Blob;
        Assert.Throws<FormatException>(() => SshCertificate.Parse(blob.AsSpan(0, blob.Length - 3)));
        Assert.Throws<FormatException>(() => SshCertificate.Parse(SubjectKey.Blob));
        Assert.Throws<FormatException>(() => SshCertificate.ParseLine("ssh-ed25519-cert-v01@openssh.com !!!"));
    }

    [Fact]
    public void Should_refuse_to_sign_without_a_principal_or_with_a_window_ending_before_it_starts()
    {
        Assert.Throws<ArgumentException>(() => Ca.Sign(new SshCertificateRequest(SubjectKey, SshCertificateType.User, 1, "x", [], Now, Now.AddMinutes(1))));
        Assert.Throws<ArgumentException>(() => Ca.Sign(new SshCertificateRequest(SubjectKey, SshCertificateType.User, 1, "x", ["a"], Now, Now)));
    }

    [Fact]
    public void Should_reload_a_CA_key_from_its_exported_private_form()
    {
        foreach (var type in SshCertificateAuthority.KeyTypes)
        {
            using var original = SshCertificateAuthority.Generate(type);
            using var reloaded = SshCertificateAuthority.FromPkcs8(type, original.ExportPkcs8());
            Assert.Equal(original.PublicKey.Line, reloaded.PublicKey.Line);
        }
    }
}
