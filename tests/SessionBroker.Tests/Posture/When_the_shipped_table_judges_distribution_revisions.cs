using Gatehouse.Contracts;
using Gatehouse.SessionBroker.Posture;

namespace Gatehouse.SessionBroker.Tests.Posture;

/// <summary>
/// The distribution revisions reviewed on 2026-12-04 (each line of the shipped table cites its source): a package a
/// distribution fixed is not flagged, the revision before it is.
/// </summary>
public sealed class When_the_shipped_table_judges_distribution_revisions
{
    private static readonly VulnerabilityTable Table = VulnerabilityTable.Load(Path.Combine(AppContext.BaseDirectory, VulnerabilityTable.ShippedFileName));

    private static IReadOnlyList<string> Vulnerabilities(string version) =>
        PostureJudgement.Judge(new TargetSshServer(version, ["curve25519-sha256"], ["aes128-ctr"], ["hmac-sha2-256-etm@openssh.com"], ["ssh-ed25519"], true), Table)
            .Where(f => f.Vulnerability).Select(f => f.Code).ToList();

    public static TheoryData<string, string, bool> Cases => new()
    {
        // sshd identification, CVE, whether it is flagged
        { "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u5", "CVE-2025-32728", true },
        { "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u6", "CVE-2025-32728", false },
        { "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u7", "CVE-2025-32728", false },
        { "SSH-2.0-OpenSSH_9.6p1 Ubuntu-3ubuntu13.10", "CVE-2025-32728", true },
        { "SSH-2.0-OpenSSH_9.6p1 Ubuntu-3ubuntu13.11", "CVE-2025-32728", false },
        { "SSH-2.0-OpenSSH_8.9p1 Ubuntu-3ubuntu0.13", "CVE-2025-32728", false },
        { "SSH-2.0-OpenSSH_8.9p1 Ubuntu-3ubuntu0.10", "CVE-2025-26465", true },
        { "SSH-2.0-OpenSSH_8.9p1 Ubuntu-3ubuntu0.11", "CVE-2025-26465", false },
        { "SSH-2.0-OpenSSH_9.7p1 Ubuntu-7ubuntu4.2", "CVE-2025-26466", false },
        { "SSH-2.0-OpenSSH_9.7p1 Ubuntu-7ubuntu4.1", "CVE-2025-26466", true },
        { "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u6", "CVE-2025-26466", false },
        { "SSH-2.0-OpenSSH_10.0p1", "CVE-2025-32728", false },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void A_package_is_flagged_only_before_its_distributions_fix(string version, string cve, bool flagged)
    {
        Assert.Equal(flagged, Vulnerabilities(version).Contains(cve));
    }

    [Fact]
    public void Every_line_of_the_shipped_table_is_preceded_by_a_comment_that_cites_where_its_facts_come_from()
    {
        var lines = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, VulnerabilityTable.ShippedFileName));
        for (var i = 0; i < lines.Length; i++)
        {
            if (!lines[i].StartsWith("CVE-", StringComparison.Ordinal)) continue;
            var comments = lines.Take(i).Reverse().TakeWhile(l => l.StartsWith('#')).ToList();
            Assert.True(comments.Count > 0, $"{lines[i].Split(' ')[0]} has no comment citing its distribution revisions");
        }
    }
}
