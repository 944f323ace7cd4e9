using System.Globalization;
using System.Text.RegularExpressions;
using Gatehouse.EndToEnd.Tests.Support;
using Gatehouse.TestSupport;
using Xunit.Abstractions;

namespace Gatehouse.EndToEnd.Tests.Deploying;

/// <summary>The units of deploy/systemd, as systemd itself reads them: valid, unprivileged, and sandboxed.</summary>
public sealed partial class When_the_services_run_under_systemd(ITestOutputHelper output)
{
    private static readonly string Units = Path.Combine(Infrastructure.RepositoryRoot, "deploy", "systemd");

    private static IReadOnlyList<string> Services() => Directory.GetFiles(Units, "gatehouse-*.service").Order().ToList();

    [Fact]
    public void Should_give_every_service_a_unit()
    {
        Assert.Equal(["gatehouse-audit.service", "gatehouse-authentication.service", "gatehouse-authorization.service", "gatehouse-session-broker.service"],
            Services().Select(Path.GetFileName));
    }

    [Fact]
    public async Task Should_pass_systemd_analyze_verify()
    {
        var result = await Processes.RunAsync("systemd-analyze", ["verify", .. Services()]);
        Assert.True(result.ExitCode == 0 && result.Error.Trim().Length == 0, result.Error + result.Text);
    }

    [Fact]
    public async Task Should_run_as_an_unprivileged_user_with_no_capabilities_in_a_sandbox_systemd_rates_ok()
    {
        foreach (var unit in Services())
        {
            var text = await File.ReadAllTextAsync(unit);
            var user = UserLine().Match(text);
            Assert.True(user.Success && user.Groups[1].Value is not ("root" or "0" or "nobody"), $"{unit} names no unprivileged User=");
            foreach (var required in new[] { "NoNewPrivileges=yes", "ProtectSystem=strict", "PrivateTmp=yes", "CapabilityBoundingSet=\n",
                         "RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX", "ProtectHome=yes", "SystemCallFilter=@system-service" })
            {
                Assert.Contains(required, text);
            }

            var security = await Processes.RunAsync("systemd-analyze", ["security", "--offline=yes", unit]);
            var exposure = Exposure().Match(security.Text);
            Assert.True(exposure.Success, security.Error + security.Text);
            var score = double.Parse(exposure.Groups[1].Value, CultureInfo.InvariantCulture);
            output.WriteLine($"{Path.GetFileName(unit)}: exposure {score}");
            // systemd calls up to 2.0 "OK"; an unsandboxed service is 9.6 UNSAFE.
            Assert.True(score <= 2.0, $"{unit}: exposure {score}\n{security.Text}");
        }
    }

    [GeneratedRegex(@"^User=(\S+)$", RegexOptions.Multiline)]
    private static partial Regex UserLine();

    [GeneratedRegex(@"Overall exposure level for \S+: ([0-9.]+)")]
    private static partial Regex Exposure();
}
