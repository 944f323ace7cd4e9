using Gatehouse.EndToEnd.Tests.Support;

namespace Gatehouse.EndToEnd.Tests.ProxyJump;

/// <summary>
/// The real OpenSSH client set up as a user sets it up for ProxyJump: an ssh_config file whose jump host is the gateway
/// (signed in as the plain Gatehouse user) and whose targets are reached as <c>login@target</c>. ssh passes the same
/// file (-F) to the ssh it starts for the jump, so both connections use the user's key.
/// </summary>
public sealed class JumpClient
{
    private JumpClient(string configPath, GatehouseUser user, string knownHosts)
    {
        ConfigPath = configPath;
        User = user;
        KnownHosts = knownHosts;
    }

    public string ConfigPath { get; }

    public GatehouseUser User { get; }

    /// <summary>The known_hosts file of the inner connections (the gateway's own key is not checked here).</summary>
    public string KnownHosts { get; }

    /// <summary>"gatehouse" is the jump host; every other host name goes through it.</summary>
    public const string JumpHost = "gatehouse";

    /// <param name="jumpByDefault">Whether every host but the gateway goes through it (an ssh_config ProxyJump block); else only with -J.</param>
    /// <param name="batchMode">False to let the jump host ask for a one-time code (through SSH_ASKPASS).</param>
    public static async Task<JumpClient> WriteAsync(GatehouseStack stack, GatehouseUser user, bool jumpByDefault = true, bool batchMode = true)
    {
        var directory = Directory.CreateDirectory(Path.Combine(stack.Work, $"jump-{Guid.NewGuid():N}")).FullName;
        var knownHosts = Path.Combine(directory, "known_hosts");
        var config = Path.Combine(directory, "ssh_config");
        await File.WriteAllTextAsync(config, $"""
            Host {JumpHost}
                HostName 127.0.0.1
                Port {stack.GatewayPort}
                User {user.Name}
                UserKnownHostsFile /dev/null
                StrictHostKeyChecking no
                BatchMode {(batchMode ? "yes" : "no")}
                LogLevel INFO
            Host * !{JumpHost}
                {(jumpByDefault ? $"ProxyJump {JumpHost}" : "")}
                User {SshTarget.Login}
                UserKnownHostsFile {knownHosts}
                StrictHostKeyChecking no
            Host *
                IdentityFile {user.KeyPath}
                IdentitiesOnly yes
                BatchMode yes
                LogLevel ERROR

            """);
        return new JumpClient(config, user, knownHosts);
    }

    /// <summary>The jump host as ssh -J names it: the plain Gatehouse user at the gateway's address and port.</summary>
    public static string JumpOption(GatehouseStack stack, GatehouseUser user) => $"{user.Name}@127.0.0.1:{stack.GatewayPort}";

    /// <summary>ssh through the jump host to <paramref name="target"/> as <c>login@target</c>.</summary>
    public Task<ProcessResult> SshAsync(string target, string command, byte[]? input = null, IEnumerable<string>? options = null,
        IDictionary<string, string>? environment = null) =>
        Processes.RunAsync("ssh", ["-F", ConfigPath, .. options ?? [], $"{SshTarget.Login}@{target}", command], input, environment);

    /// <summary>GIT_SSH_COMMAND, RSYNC_RSH and friends: ssh reading this file.</summary>
    public string SshCommand => $"ssh -F {ConfigPath}";
}
