using System.CommandLine;
using System.Net.Http.Json;
using Gatehouse.Cli.Auth;

namespace Gatehouse.Cli.Targets;

/// <summary><c>gatehouse targets ...</c>: the hosts users can be granted, through the Authorization admin API.</summary>
public sealed class TargetsCommands : ICommandGroup
{
    public Command Build(CliContext context)
    {
        var targets = new Command("targets", "Register targets, their labels and logins, and pin their host keys (admin token required).");
        targets.Subcommands.Add(AuthorizationCalls.Simple(context, "list", "List targets.", null, (c, _) => c.GetAsync("api/targets")));
        targets.Subcommands.Add(AuthorizationCalls.Simple(context, "show", "Show a target.", "name", (c, n) => c.GetAsync($"api/targets/{n}")));
        targets.Subcommands.Add(Add(context));
        targets.Subcommands.Add(Change(context));
        targets.Subcommands.Add(Remove(context));
        targets.Subcommands.Add(PinHostKey(context));
        targets.Subcommands.Add(PostureCommands.List(context));
        targets.Subcommands.Add(PostureCommands.Override(context));
        return targets;
    }

    private static Command Add(CliContext context)
    {
        var name = new Argument<string>("name") { Description = "The target's name, as users give it to ssh (e.g. web01)" };
        var address = new Option<string>("--address") { Description = "Host name or IP address the gateway connects to", Required = true };
        var port = new Option<int>("--port") { Description = "SSH port on the target", DefaultValueFactory = _ => 22 };
        var labels = AuthorizationCalls.Repeatable("--label", "A label key=value, e.g. env=prod; repeat for several");
        var logins = AuthorizationCalls.Repeatable("--login", "A login that exists on the target; repeat for several");
        logins.Required = true;
        var hostKey = new Option<string?>("--host-key")
        {
            Description = "The target's OpenSSH host key ('ssh-ed25519 AAAA...'); without it the first key seen is trusted",
        };
        var trustsCa = new Option<bool>("--trusts-gatehouse-ca")
        {
            Description = "The target's sshd has Gatehouse's user CA in TrustedUserCAKeys ('gatehouse ca show --user'): no vaulted credential needed",
        };
        var hostCas = AuthorizationCalls.Repeatable("--host-ca",
            "A CA public key ('ssh-ed25519 AAAA...') that signs the target's host certificate, instead of --host-key; repeat for several");
        var command = new Command("add", "Register a target.") { name, address, port, labels, logins, hostKey, trustsCa, hostCas };
        command.SetAction(async (parse, _) =>
        {
            if (AuthorizationCalls.Labels(context, parse.GetValue(labels)) is not { } parsed)
            {
                return 1;
            }

            return await AuthorizationCalls.RunAsync(context, client => ServiceCall.PostJson(client, "api/targets", new
            {
                name = parse.GetValue(name),
                address = parse.GetValue(address),
                port = parse.GetValue(port),
                labels = parsed,
                logins = parse.GetValue(logins),
                hostKey = parse.GetValue(hostKey),
                trustsGatehouseUserCa = parse.GetValue(trustsCa),
                hostCertificateAuthorities = parse.GetValue(hostCas) is { Length: > 0 } cas ? cas : null,
            }));
        });
        return command;
    }

    private static Command Change(CliContext context)
    {
        var name = new Argument<string>("name") { Description = "The target" };
        var address = new Option<string>("--address") { Description = "Host name or IP address the gateway connects to", Required = true };
        var port = new Option<int>("--port") { Description = "SSH port on the target", DefaultValueFactory = _ => 22 };
        var labels = AuthorizationCalls.Repeatable("--label", "A label key=value; repeat for several (replaces all labels)");
        var logins = AuthorizationCalls.Repeatable("--login", "A login that exists on the target; repeat for several (replaces all logins)");
        logins.Required = true;
        var command = new Command("change", "Replace a target's address, port, labels and logins.") { name, address, port, labels, logins };
        command.SetAction(async (parse, _) =>
        {
            if (AuthorizationCalls.Labels(context, parse.GetValue(labels)) is not { } parsed)
            {
                return 1;
            }

            return await AuthorizationCalls.RunAsync(context, client => client.PutAsJsonAsync(
                $"api/targets/{AuthorizationCalls.Escape(parse.GetValue(name))}", new
                {
                    address = parse.GetValue(address),
                    port = parse.GetValue(port),
                    labels = parsed,
                    logins = parse.GetValue(logins),
                }, ServiceCall.Json));
        });
        return command;
    }

    private static Command Remove(CliContext context)
    {
        var name = new Argument<string>("name") { Description = "The target" };
        var reason = new Option<string>("--reason") { Description = "Why, for the audit trail", Required = true };
        var command = new Command("remove", "Decommission a target: no new session may reach it; its name stays reserved.") { name, reason };
        command.SetAction((parse, _) => AuthorizationCalls.RunAsync(context, client => ServiceCall.PostJson(client,
            $"api/targets/{AuthorizationCalls.Escape(parse.GetValue(name))}/remove", new { reason = parse.GetValue(reason) })));
        return command;
    }

    private static Command PinHostKey(CliContext context)
    {
        var name = new Argument<string>("name") { Description = "The target" };
        var key = new Argument<string>("host-key") { Description = "The OpenSSH host key line, quoted ('ssh-ed25519 AAAA...')" };
        var command = new Command("pin-host-key", "Pin a target's host key, e.g. after the target's key was rotated.") { name, key };
        command.SetAction((parse, _) => AuthorizationCalls.RunAsync(context, client => client.PutAsJsonAsync(
            $"api/targets/{AuthorizationCalls.Escape(parse.GetValue(name))}/host-key", new { hostKey = parse.GetValue(key) }, ServiceCall.Json)));
        return command;
    }
}
