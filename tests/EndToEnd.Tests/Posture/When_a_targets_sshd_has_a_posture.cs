using System.Net.Http.Json;
using Gatehouse.Contracts;
using Gatehouse.EndToEnd.Tests.Support;
using Gatehouse.SessionBroker.Posture;
using Microsoft.Extensions.DependencyInjection;

namespace Gatehouse.EndToEnd.Tests.Posture;

/// <summary>
/// The stack's real sshd (Debian's openssh-server) as a target: what it told the gateway is recorded and judged, and the
/// per-label policy refuses or warns. The stack labels posture=refuse and posture=warn at or above low: the default MAC
/// list of OpenSSH 9.2 offers umac-64 and hmac-sha1, a low finding on every such target.
/// </summary>
[Collection(GatehouseCollection.Name)]
public sealed class When_a_targets_sshd_has_a_posture(GatehouseStack stack)
{
    private static Dictionary<string, string> Labels(string posture) => new() { ["env"] = "e2e", ["posture"] = posture };

    [Fact]
    public async Task Should_record_what_it_offered_once_and_judge_a_debian_package_by_debians_fixed_revision()
    {
        var (user, target, _) = await stack.AUserWithAGrantAsync("inventory", "inv");

        var first = await OpenSsh.SshAsync(stack, user, target, "echo first");
        var second = await OpenSsh.SshAsync(stack, user, target, "echo second");

        Assert.True(first.ExitCode == 0, first.Error);
        Assert.Equal("second\n", second.Text);
        var seen = Assert.Single(await stack.BrokerEventsAsync(e => e is TargetSshInventoryChanged c && c.Target == target));
        var inventory = (TargetSshInventoryChanged)seen;
        // What this machine's package says of itself, e.g. 1:9.2p1-2+deb12u10.
        var package = (await Processes.RunAsync("dpkg-query", ["-W", "-f=${Version}", "openssh-server"])).Text.Trim();
        var (upstream, revision) = (package[(package.IndexOf(':') + 1)..package.LastIndexOf('-')], package[(package.LastIndexOf('-') + 1)..]);
        Assert.Equal($"SSH-2.0-OpenSSH_{upstream} Debian-{revision}", inventory.Server.Version);
        Assert.Contains("curve25519-sha256", inventory.Server.KeyExchanges);
        Assert.DoesNotContain("kex-strict-s-v00@openssh.com", inventory.Server.KeyExchanges);
        Assert.True(inventory.Server.StrictKex);
        Assert.Contains("ssh-ed25519", inventory.Server.HostKeyAlgorithms);
        Assert.Contains("aes128-ctr", inventory.Server.Ciphers);
        Assert.Contains("hmac-sha2-256", inventory.Server.Macs);
        Assert.Null(inventory.Previous);
        Assert.Equal(user.Name, inventory.Actor);

        // Debian fixed regreSSHion in 1:9.2p1-2+deb12u3: this package is past it although its upstream 9.2p1 is in the
        // affected range, which the same offer without Debian's revision is judged by.
        var table = stack.Broker.GetRequiredService<TargetPostures>().Table;
        if (DebianVersion.TryParse(package)! >= DebianVersion.TryParse("1:9.2p1-2+deb12u3")!)
        {
            Assert.DoesNotContain(inventory.Findings, f => f.Code == "CVE-2024-6387");
        }

        var upstreamOnly = inventory.Server with { Version = $"SSH-2.0-OpenSSH_{upstream}" };
        Assert.Contains(PostureJudgement.Judge(upstreamOnly, table), f => f.Code == "CVE-2024-6387");
        Assert.Contains(inventory.Findings, f => f.Code == "weak-mac");

        var listed = await stack.BrokerAdmin.GetFromJsonAsync<TargetPosture>($"api/posture/{target}", GatehouseStack.Json);
        Assert.Equal(inventory.Server.Version, listed!.Server!.Version);
    }

    [Fact]
    public async Task Should_refuse_a_target_the_policy_refuses_until_an_administrator_overrides_it()
    {
        var (user, target, _) = await stack.AUserWithAGrantAsync("postref", "refuse", labels: Labels("refuse"));
        var marker = Path.Combine(stack.Target.Directory, $"posture-{Guid.NewGuid():N}");

        var refused = await OpenSsh.SshAsync(stack, user, target, $"touch {marker}");

        Assert.Equal(1, refused.ExitCode);
        Assert.Contains($"gatehouse: {target}'s SSH server has", refused.Error);
        Assert.Contains("the posture policy refuses new sessions to it", refused.Error);
        Assert.False(File.Exists(marker));
        var refusal = (SessionRefused)Assert.Single(await stack.BrokerEventsAsync(e => e is SessionRefused r && r.UserName == user.Name));
        Assert.Equal(SessionRefusalReason.TargetPosture, refusal.Reason);
        Assert.Empty(await stack.BrokerEventsAsync(e => e is SessionStarted s && s.UserName == user.Name));
        // Refused at the host key check, yet what it offered is known.
        Assert.Single(await stack.BrokerEventsAsync(e => e is TargetSshInventoryChanged c && c.Target == target));

        var response = await stack.BrokerAdmin.PostAsJsonAsync($"api/posture/{target}/override",
            new { reason = "the fix itself needs a session", hours = 1 }, GatehouseStack.Json);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        var allowed = await OpenSsh.SshAsync(stack, user, target, $"touch {marker} && echo done");

        Assert.True(allowed.ExitCode == 0, allowed.Error);
        Assert.Equal("done\n", allowed.Text);
        Assert.Contains("(allowed by an administrator's emergency override)", allowed.Error);
        var overridden = (TargetPostureOverridden)Assert.Single(await stack.BrokerEventsAsync(e => e is TargetPostureOverridden o && o.Target == target));
        Assert.Equal(GatehouseStack.AdminName, overridden.Actor);
        Assert.Equal("the fix itself needs a session", overridden.Reason);
    }

    [Fact]
    public async Task Should_warn_the_user_of_a_target_the_policy_warns_about_and_let_the_session_run()
    {
        var (user, target, _) = await stack.AUserWithAGrantAsync("postwarn", "warn", labels: Labels("warn"));

        var result = await OpenSsh.SshAsync(stack, user, target, "echo hi");

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Equal("hi\n", result.Text);
        Assert.Contains($"gatehouse: warning: {target}'s SSH server has", result.Error);
        Assert.Contains("weak-mac (low)", result.Error);
    }
}
