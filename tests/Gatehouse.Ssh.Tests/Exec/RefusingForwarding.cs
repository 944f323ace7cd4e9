using Gatehouse.Ssh.Tests.TestGateway;

namespace Gatehouse.Ssh.Tests.Exec;

/// <summary>What the client is told, and the handler hears, when it asks for forwarding the handler refuses.</summary>
public class RefusingForwarding(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    // ssh prints its warnings about refused forwarding at the INFO level; the first -o given wins.
    private IEnumerable<string> Options(params string[] extra) =>
        ["-o", "LogLevel=INFO", .. extra, .. OpenSsh.CommonOptions(gateway.Port, gateway.Ed25519Key)];

    [Fact]
    public async Task Should_show_the_handlers_reason_for_a_refused_direct_tcpip_channel()
    {
        var result = await OpenSsh.RunAsync("ssh", [.. Options(), "-W", "10.0.0.1:5432", "alice@127.0.0.1"], input: new MemoryStream());

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("open failed: administratively prohibited: test gateway: 10.0.0.1:5432 is not allowed", result.Error);
    }

    [Fact]
    public async Task Should_refuse_remote_forwarding_and_tell_the_handler()
    {
        var result = await OpenSsh.RunAsync("ssh", [.. Options("-R", "127.0.0.1:18022:127.0.0.1:22"), "alice@127.0.0.1", "echo ran"],
            input: new MemoryStream());

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains("remote port forwarding failed for listen port 18022", result.Error);
        await Until(() => gateway.Hooks.Refused.Contains("tcpip-forward 127.0.0.1:18022"));
    }

    [Fact]
    public async Task Should_hand_agent_and_x11_requests_to_the_handler_which_refuses_them()
    {
        // ssh asks for agent forwarding only with an agent to offer, and for X11 only with a display.
        var agentSocket = Path.Combine(Path.GetTempPath(), $"gatehouse-agent-{Guid.NewGuid():N}.sock");
        using var agent = System.Diagnostics.Process.Start("ssh-agent", ["-D", "-a", agentSocket])!;
        try
        {
            for (var i = 0; !File.Exists(agentSocket) && i < 200; i++) await Task.Delay(50);
            var result = await OpenSsh.RunAsync("ssh", [.. Options("-A", "-X"), "alice@127.0.0.1", "echo ran"], input: new MemoryStream(),
                environment: new Dictionary<string, string> { ["DISPLAY"] = "127.0.0.1:99", ["SSH_AUTH_SOCK"] = agentSocket });

            Assert.True(result.ExitCode == 0, result.Error);
            Assert.Equal("ran\n", result.Text);
            Assert.Contains("X11 forwarding request failed", result.Error);
            await Until(() => gateway.Hooks.Refused.Contains(nameof(SshX11ForwardingRequest)), result.Error + string.Join(",", gateway.Hooks.Refused));
            await Until(() => gateway.Hooks.Refused.Contains(nameof(SshAgentForwardingRequest)), result.Error + string.Join(",", gateway.Hooks.Refused));
        }
        finally
        {
            agent.Kill();
            File.Delete(agentSocket);
        }
    }

    private static async Task Until(Func<bool> condition, string? seen = null)
    {
        for (var waited = TimeSpan.Zero; !condition(); waited += TimeSpan.FromMilliseconds(50))
        {
            Assert.True(waited < TimeSpan.FromSeconds(30), $"the handler was not told: {seen}");
            await Task.Delay(50);
        }
    }
}
