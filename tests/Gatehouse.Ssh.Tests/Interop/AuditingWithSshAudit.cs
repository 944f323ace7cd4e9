using Gatehouse.Ssh.Tests.TestGateway;

namespace Gatehouse.Ssh.Tests.Interop;

public class AuditingWithSshAudit(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    // Debian 12's ssh-audit 2.5.0 (2021) predates strict KEX (2023) and so lists the marker as an unknown algorithm;
    // that marker is the Terrapin fix itself, not a weakness. It predates the post-quantum hybrids' IETF names too
    // (mlkem768x25519-sha256, 2024; sntrup761x25519-sha512, 2024), and calls OpenSSH's sntrup761 name "experimental",
    // which later versions stopped doing when OpenSSH made it its default. Those, and only with those two remarks, are
    // what the tool's age explains.
    private static readonly string[] NewerThanTheTool =
    [
        "kex-strict-s-v00@openssh.com", "mlkem768x25519-sha256", "sntrup761x25519-sha512", "sntrup761x25519-sha512@openssh.com",
    ];

    private static bool IsOnlyTheToolsAge(string line) =>
        NewerThanTheTool.Any(name => line.Contains($"(kex) {name} "))
        && (line.Contains("[warn] unknown algorithm") || line.Contains("[warn] using experimental algorithm"));

    [Fact]
    public async Task Should_report_no_failure_and_no_warning_except_for_algorithms_newer_than_the_tool()
    {
        var result = await OpenSsh.RunAsync("ssh-audit", ["-n", "-p", gateway.Port.ToString(), "127.0.0.1"], timeout: TimeSpan.FromSeconds(90));
        var lines = result.Text.Split('\n');

        Assert.DoesNotContain(lines, line => line.Contains("[fail]"));
        Assert.True(!lines.Any(line => line.Contains("[warn]") && !IsOnlyTheToolsAge(line)), result.Text);
        Assert.Contains(lines, line => line.Contains("(kex) mlkem768x25519-sha256"));
        Assert.Contains(lines, line => line.Contains("(kex) curve25519-sha256"));
        Assert.Contains(lines, line => line.Contains("(enc) chacha20-poly1305@openssh.com"));
        Assert.Contains(lines, line => line.Contains("(key) rsa-sha2-512 (3072-bit)"));
        // Exit code 2 is ssh-audit's "warning", here caused only by the algorithms checked above.
        Assert.True(result.ExitCode is 0 or 2, result.Text + result.Error);
    }
}
