using System.Text.Json;
using Gatehouse.Contracts;
using Gatehouse.Contracts.Authorization;

namespace Gatehouse.Authorization.Tests.Grants.IssuingGrant;

/// <summary>
/// Targets and grants through the gatehouse commands against the real service on a real port, with tokens in GATEHOUSE_TOKEN as
/// operators give them.
/// </summary>
[Collection(AnEmptyAuthorizationStoreCollection.Name)]
public class When_an_operator_issues_grants_with_the_gatehouse_cli(AnEmptyAuthorizationStore service)
{
    private readonly string _suffix = Guid.NewGuid().ToString("N")[..8];

    [Fact]
    public async Task Should_register_a_target_grant_it_and_revoke_the_grant()
    {
        var target = $"cli-web-{_suffix}";
        var user = $"cli-user-{_suffix}";
        await service.CreateUsersAsync(user);

        Assert.Equal(0, (await Run(As("cli-admin", "admin"), "targets", "add", target, "--address", "10.8.8.8",
            "--label", "env=prod", "--label", $"team=cli{_suffix}", "--login", "deploy", "--login", "root")).Exit);
        var issued = await Run(As("cli-admin", "admin"), "grants", "issue", "--user", user, "--label", $"team=cli{_suffix}",
            "--login", "deploy", "--window", "mon-sun 00:00-12:00 UTC", "--window", "mon-sun 12:00-00:00 UTC", "--source", "10.0.0.0/8", "--max-session", "01:00:00");
        Assert.Equal(0, issued.Exit);
        var grantId = JsonDocument.Parse(issued.Out).RootElement.GetProperty("id").GetGuid();

        Assert.IsType<AccessAllowed>(await service.CheckAsync(user, target));
        Assert.Equal(0, (await Run(As("cli-admin", "admin"), "grants", "revoke", grantId.ToString(), "--reason", "project over")).Exit);
        Assert.Equal(AccessDenialReason.GrantRevoked, Assert.IsType<AccessRefused>(await service.CheckAsync(user, target)).Reason);

        Assert.Equal(0, (await Run(As("cli-admin", "admin"), "targets", "change", target, "--address", "10.8.8.9", "--port", "2222",
            "--label", "env=prod", "--login", "deploy")).Exit);
        var shown = await Run(As("cli-admin", "admin"), "targets", "show", target);
        Assert.Equal(2222, JsonDocument.Parse(shown.Out).RootElement.GetProperty("port").GetInt32());
        Assert.Equal(0, (await Run(As("cli-admin", "admin"), "targets", "remove", target, "--reason", "decommissioned")).Exit);
        Assert.Equal(AccessDenialReason.UnknownTarget, Assert.IsType<AccessRefused>(await service.CheckAsync(user, target)).Reason);
    }

    [Fact]
    public async Task Should_show_the_reasons_when_the_service_refuses_input()
    {
        var result = await Run(As("cli-admin", "admin"), "grants", "issue", "--role", "ops", "--target", "web01", "--login", "root",
            "--source", "10.0.0.0/33");

        Assert.Equal(1, result.Exit);
        Assert.Contains("sourceCidrs: '10.0.0.0/33' is not a CIDR network", result.Error);
    }

    [Fact]
    public async Task Should_show_why_a_grant_to_an_unknown_target_is_refused()
    {
        var result = await Run(As("cli-admin", "admin"), "grants", "issue", "--api-role", "user", "--target", $"cli-typo-{_suffix}", "--login", "root");

        Assert.Equal(1, result.Exit);
        Assert.Contains($"targetNames: there is no target named 'cli-typo-{_suffix}'", result.Error);
    }

    [Fact]
    public async Task Should_print_a_warning_when_a_label_selector_matches_no_target_yet()
    {
        var result = await Run(As("cli-admin", "admin"), "grants", "issue", "--api-role", "user", "--label", $"team=cli-none-{_suffix}", "--login", "root");

        Assert.Equal(0, result.Exit);
        Assert.Contains($"Warning: no target has the labels team=cli-none-{_suffix} yet", result.Error);
    }

    [Fact]
    public async Task Should_show_a_grants_forwarding_destinations_and_remote_forward_ports_in_list_and_show()
    {
        var target = $"cli-fwd-{_suffix}";
        var user = $"cli-fwd-{_suffix}";
        await service.CreateUsersAsync(user);
        Assert.Equal(0, (await Run(As("cli-admin", "admin"), "targets", "add", target, "--address", "10.8.8.10", "--login", "deploy")).Exit);
        var issued = await Run(As("cli-admin", "admin"), "grants", "issue", "--user", user, "--target", target, "--login", "deploy",
            "--port-forwarding", "--forward-to", "127.0.0.1:5432", "--remote-forward-port", "8080", "--remote-forward-port", "9000-9009");
        Assert.True(issued.Exit == 0, issued.Error);
        var grantId = JsonDocument.Parse(issued.Out).RootElement.GetProperty("id").GetGuid();

        var shown = JsonDocument.Parse((await Run(As("cli-admin", "admin"), "grants", "show", grantId.ToString())).Out).RootElement;
        var listed = Assert.Single(JsonDocument.Parse((await Run(As("cli-admin", "admin"), "grants", "list", "--subject", user)).Out).RootElement.EnumerateArray());

        foreach (var grant in new[] { shown, listed })
        {
            Assert.Equal(["127.0.0.1:5432"], grant.GetProperty("forwardingDestinations").EnumerateArray().Select(d => d.GetString()));
            Assert.Equal(["8080", "9000-9009"], grant.GetProperty("remoteForwardingPorts").EnumerateArray().Select(p => p.GetString()));
        }
    }

    private string As(string user, params string[] roles) => service.Token(user, roles);

    private Task<(int Exit, string Out, string Error)> Run(string token, params string[] args) => service.RunCliAsync(token, args);
}
