using System.CommandLine;
using System.Text;
using System.Text.Json;
using Gatehouse.Cli.Auth;
using Gatehouse.Vocabulary;

namespace Gatehouse.Cli.SshConfig;

/// <summary>
/// <c>gatehouse ssh-config --user alice --hosts 'web01,*.prod'</c>: a ready ssh_config block that reaches the targets
/// through the gateway with ProxyJump (so ssh, scp, sftp, rsync, git and Ansible take plain <c>login@target</c>), and the
/// known_hosts lines that check the gateway and, with one @cert-authority line per host CA key, every target's inner
/// connection (its host certificate names the target), to use with StrictHostKeyChecking yes.
/// </summary>
public sealed class SshConfigCommand : ICommandGroup
{
    /// <summary>The ssh_config alias of the gateway in the printed block.</summary>
    public const string JumpAlias = "gatehouse";

    public Command Build(CliContext context)
    {
        var user = new Option<string>("--user") { Description = "The Gatehouse user the block signs in as", Required = true };
        var hosts = new Option<string>("--hosts")
        {
            Description = "The targets reached through the gateway, comma-separated names or patterns with * and ? (e.g. web01,*.prod)", Required = true,
        };
        var gateway = new Option<string?>("--gateway")
        {
            Description = "The gateway as users reach it, host or host:port (default: 127.0.0.1 and the port it listens on)",
        };
        var login = new Option<string?>("--login") { Description = "The login on the targets (User in the block); default: ssh's own default" };
        var command = new Command("ssh-config", "Print an ssh_config block and known_hosts lines for ProxyJump through the gateway (admin token required).")
        {
            user, hosts, gateway, login,
        };
        command.SetAction(async (parse, _) =>
        {
            var gatewayGiven = GatewayAddress.TryParse(parse.GetValue(gateway), out var given);
            var userName = UserNames.Normalise(parse.GetValue(user));
            var targets = (parse.GetValue(hosts) ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(TargetNames.Normalise).Distinct().ToList();
            var loginName = parse.GetValue(login);
            var problem = UserNames.Validate(userName)
                ?? (targets.Count == 0 ? "--hosts names no target" : null)
                ?? targets.Where(t => !IsPattern(t)).Select(t => $"'{t}' is not a target name or pattern: {TargetNames.Rule}, with * and ?").FirstOrDefault()
                ?? (loginName is not null && !LoginNames.IsValid(loginName) ? $"'{loginName}' is not a login: {LoginNames.Rule}" : null)
                ?? (gatewayGiven ? null : "--gateway must be host or host:port");
            if (problem is not null)
            {
                await context.Error.WriteLineAsync(problem);
                return 1;
            }

            return await ServiceCall.RunAsync(context, context.SessionBroker, client => client.GetAsync("api/proxyjump/known-hosts"),
                async answer => await context.Out.WriteAsync(Print(answer!.Value, userName, targets, loginName, given)));
        });
        return command;
    }

    /// <summary>The block and the lines, from the SessionBroker's answer; the gateway as given, else where it listens on loopback.</summary>
    public static string Print(JsonElement knownHosts, string user, IReadOnlyList<string> targets, string? login, GatewayAddress? gateway)
    {
        var port = gateway?.Port ?? knownHosts.GetProperty("gatewayPort").GetInt32();
        var host = gateway?.Host ?? "127.0.0.1";
        var gatewayName = port == 22 ? host : $"[{host}]:{port}";
        var text = new StringBuilder();
        text.AppendLine("# ~/.ssh/config");
        text.AppendLine($"Host {JumpAlias}");
        text.AppendLine($"    HostName {host}");
        text.AppendLine($"    Port {port}");
        text.AppendLine($"    User {user}");
        text.AppendLine($"Host {string.Join(' ', targets)}");
        text.AppendLine($"    ProxyJump {JumpAlias}");
        if (login is not null)
        {
            text.AppendLine($"    User {login}");
        }

        text.AppendLine();
        text.AppendLine("# ~/.ssh/known_hosts");
        foreach (var key in knownHosts.GetProperty("gatewayHostKeys").EnumerateArray())
        {
            text.AppendLine($"{gatewayName} {key.GetString()}");
        }

        foreach (var key in knownHosts.GetProperty("hostCertificateAuthorities").EnumerateArray())
        {
            text.AppendLine($"@cert-authority {string.Join(',', targets)} {key.GetString()} gatehouse-host-ca");
        }

        return text.ToString();
    }

    /// <summary>A target name, or one with * and ? standing for its characters (as ssh_config and known_hosts read them).</summary>
    public static bool IsPattern(string host) => TargetNames.IsValid(host.Replace('*', 'a').Replace('?', 'a'));
}

/// <summary>The gateway as users reach it: a host name or address, and the port when not the one it listens on.</summary>
public sealed record GatewayAddress(string Host, int? Port)
{
    public static bool TryParse(string? value, out GatewayAddress? address)
    {
        address = null;
        if (string.IsNullOrWhiteSpace(value))
        {
            return true;
        }

        var colon = value.LastIndexOf(':');
        var host = colon > 0 && !value.EndsWith(']') ? value[..colon] : value;
        int? port = null;
        if (colon > 0 && !value.EndsWith(']'))
        {
            if (!int.TryParse(value[(colon + 1)..], out var parsed) || parsed is < 1 or > 65535)
            {
                return false;
            }

            port = parsed;
        }

        host = host.Trim('[', ']');
        if (host.Length == 0 || host.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c is '#' or ',' or '*' or '?' or '!'))
        {
            return false;
        }

        address = new GatewayAddress(host, port);
        return true;
    }
}
