using Gatehouse.Contracts;
using Gatehouse.SessionBroker.Posture;

namespace Gatehouse.SessionBroker.Tests.Posture;

public sealed class When_a_targets_sshd_is_judged
{
    private static readonly VulnerabilityTable Table = VulnerabilityTable.Load(Path.Combine(AppContext.BaseDirectory, VulnerabilityTable.ShippedFileName));

    // What Debian 12's sshd offers by default (strict kex since 1:9.2p1-2+deb12u2), with post-quantum sntrup761.
    private static TargetSshServer Server(string version, bool strictKex = true, string[]? ciphers = null, string[]? macs = null,
        string[]? kex = null, string[]? hostKeys = null) =>
        new(version, kex ?? ["sntrup761x25519-sha512@openssh.com", "curve25519-sha256", "ecdh-sha2-nistp256"],
            ciphers ?? ["chacha20-poly1305@openssh.com", "aes128-ctr", "aes256-gcm@openssh.com"],
            macs ?? ["umac-128-etm@openssh.com", "hmac-sha2-256-etm@openssh.com", "hmac-sha2-256"],
            hostKeys ?? ["rsa-sha2-512", "rsa-sha2-256", "ssh-ed25519"], strictKex);

    private static IReadOnlyList<string> Codes(TargetSshServer server) => PostureJudgement.Judge(server, Table).Select(f => f.Code).ToList();

    [Fact]
    public void Should_find_an_upstream_version_in_the_affected_range_vulnerable()
    {
        var findings = PostureJudgement.Judge(Server("SSH-2.0-OpenSSH_9.2p1"), Table);
        var regresshion = Assert.Single(findings, f => f.Code == "CVE-2024-6387");
        Assert.True(regresshion.Vulnerability);
        Assert.Equal(FindingSeverity.Critical, regresshion.Severity);
        Assert.Contains("9.8p1", regresshion.Fix);
        Assert.DoesNotContain("CVE-2024-6387", Codes(Server("SSH-2.0-OpenSSH_9.8p1")));
        Assert.DoesNotContain("CVE-2024-6387", Codes(Server("SSH-2.0-OpenSSH_8.4p1")));
    }

    [Fact]
    public void Should_judge_a_debian_package_by_debians_fixed_revision_not_the_upstream_number()
    {
        Assert.Contains("CVE-2024-6387", Codes(Server("SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u2")));
        Assert.DoesNotContain("CVE-2024-6387", Codes(Server("SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3")));
        Assert.DoesNotContain("CVE-2024-6387", Codes(Server("SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u7")));
        var finding = Assert.Single(PostureJudgement.Judge(Server("SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u2"), Table), f => f.Code == "CVE-2024-6387");
        Assert.Contains("1:9.2p1-2+deb12u3", finding.Fix);
    }

    [Fact]
    public void Should_judge_an_ubuntu_package_by_ubuntus_fixed_revision_for_its_release()
    {
        Assert.Contains("CVE-2024-6387", Codes(Server("SSH-2.0-OpenSSH_8.9p1 Ubuntu-3ubuntu0.6")));
        Assert.DoesNotContain("CVE-2024-6387", Codes(Server("SSH-2.0-OpenSSH_8.9p1 Ubuntu-3ubuntu0.10")));
        Assert.DoesNotContain("CVE-2024-6387", Codes(Server("SSH-2.0-OpenSSH_9.6p1 Ubuntu-3ubuntu13.5")));
    }

    [Fact]
    public void Should_judge_a_package_the_table_knows_no_fix_for_by_its_upstream_version_and_say_so()
    {
        // Debian ships no 9.3p1; a package of it cannot borrow 9.2p1's fixed revision.
        var finding = Assert.Single(PostureJudgement.Judge(Server("SSH-2.0-OpenSSH_9.3p1 Debian-1"), Table), f => f.Code == "CVE-2024-6387");
        Assert.Contains("no debian fix for 9.3p1", finding.Title);
    }

    [Fact]
    public void Should_judge_terrapin_by_the_offer_strict_kex_missing_and_a_vulnerable_mode_offered()
    {
        Assert.Contains("CVE-2023-48795", Codes(Server("SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u1", strictKex: false)));
        Assert.Contains("CVE-2023-48795", Codes(Server("SSH-2.0-dropbear_2020.81", strictKex: false,
            ciphers: ["aes128-cbc", "aes128-ctr"], macs: ["hmac-sha2-256-etm@openssh.com"])));
        Assert.DoesNotContain("CVE-2023-48795", Codes(Server("SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u1", strictKex: true)));
        Assert.DoesNotContain("CVE-2023-48795", Codes(Server("SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u1", strictKex: false,
            ciphers: ["aes256-gcm@openssh.com", "aes128-ctr"])));
        Assert.Contains("no-strict-kex", Codes(Server("SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u1", strictKex: false)));
    }

    [Fact]
    public void Should_make_findings_of_weak_algorithms_no_post_quantum_kex_and_sha1_only_host_keys()
    {
        var codes = Codes(Server("SSH-2.0-OpenSSH_10.0p2", ciphers: ["aes128-ctr", "3des-cbc"], macs: ["hmac-sha1", "hmac-sha2-256"],
            kex: ["curve25519-sha256", "diffie-hellman-group14-sha1"], hostKeys: ["ssh-rsa", "ssh-dss"]));
        Assert.Equal(["weak-kex", "weak-cipher", "weak-mac", "weak-host-key", "host-key-sha1", "no-post-quantum-kex"], codes);
    }

    [Fact]
    public void Should_find_nothing_on_a_current_well_configured_sshd()
    {
        Assert.Empty(PostureJudgement.Judge(Server("SSH-2.0-OpenSSH_10.0p2 Debian-7", kex: ["mlkem768x25519-sha256", "curve25519-sha256"]), Table));
    }

    [Fact]
    public void Should_say_so_of_a_server_the_table_cannot_judge_rather_than_pass_it_silently()
    {
        Assert.Contains("unknown-version", Codes(Server("SSH-2.0-dropbear_2022.83")));
    }
}
