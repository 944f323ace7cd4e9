using Gatehouse.Ssh.Tests.TestGateway;

namespace Gatehouse.Ssh.Tests.Interop;

public class AuditingWithSshAudit(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    // Debian 12's ssh-audit 2.5.0 predates strict KEX (2023) and so lists the marker as an unknown
    // algorithm; that marker is the Terrapin fix itself, not a weakness.
    private const string StrictKexMarker = "kex-strict-s-v00@openssh.com";

    [Fact]
    public async Task Should_report_no_failure_and_no_warning_except_the_strict_kex_marker_it_predates()
    {
        var result = await OpenSsh.RunAsync("ssh-audit", ["-n", "-p", gateway.Port.ToString(), "127.0.0.1"], timeout: TimeSpan.FromSeconds(90));
        var lines = result.Text.Split('\n');

        Assert.DoesNotContain(lines, line => line.Contains("[fail]"));
        Assert.DoesNotContain(lines, line => line.Contains("[warn]") && !line.Contains(StrictKexMarker));
        Assert.Contains(lines, line => line.Contains("(kex) curve25519-sha256"));
        Assert.Contains(lines, line => line.Contains("(enc) chacha20-poly1305@openssh.com"));
        Assert.Contains(lines, line => line.Contains("(key) rsa-sha2-512 (3072-bit)"));
        // Exit code 2 is ssh-audit's "warning", here caused only by the strict KEX marker checked above.
        Assert.True(result.ExitCode is 0 or 2, result.Text + result.Error);
    }
}
