namespace Gatehouse.EndToEnd.Tests.Support;

/// <summary>The real OpenSSH client programs, pointed at the gateway with a user's own key.</summary>
public static class OpenSsh
{
    public static string Destination(GatehouseUser user, string target, string? login = null) =>
        $"{user.Name}:{login ?? SshTarget.Login}@{target}@127.0.0.1";

    /// <summary>scp and sftp read a colon as the start of a path, so they get the gateway user name as an option.</summary>
    public static string[] UserOption(GatehouseUser user, string target) => ["-o", $"User={user.Name}:{SshTarget.Login}@{target}"];

    public static List<string> Options(GatehouseStack stack, GatehouseUser user, bool batchMode = true, string portFlag = "-p", string logLevel = "ERROR") =>
    [
        "-F", "/dev/null",
        "-o", "StrictHostKeyChecking=no",
        "-o", "UserKnownHostsFile=/dev/null",
        "-o", batchMode ? "BatchMode=yes" : "BatchMode=no",
        "-o", $"LogLevel={logLevel}",
        "-o", "IdentitiesOnly=yes",
        "-i", user.KeyPath,
        portFlag, stack.GatewayPort.ToString(),
    ];

    public static Task<ProcessResult> SshAsync(GatehouseStack stack, GatehouseUser user, string target, string? command,
        byte[]? input = null, IEnumerable<string>? extraOptions = null, IDictionary<string, string>? environment = null,
        bool batchMode = true, TimeSpan? timeout = null, string logLevel = "ERROR", string? login = null) =>
        Processes.RunAsync("ssh",
            [.. Options(stack, user, batchMode, logLevel: logLevel), .. extraOptions ?? [], Destination(user, target, login), .. command is null ? Array.Empty<string>() : [command]],
            input, environment, timeout);

    /// <summary>
    /// ssh signing in with a Gatehouse password (and the one-time code when asked) instead of a key, from
    /// <paramref name="source"/>: a loopback address of the test's own, so its failures count against no other test's source.
    /// </summary>
    public static async Task<ProcessResult> SshWithPasswordAsync(GatehouseStack stack, GatehouseUser user, string target, string command,
        string password, string source, string? code = null, int passwordPrompts = 3, int? port = null)
    {
        var script = Path.Combine(stack.Work, $"askpass-{Guid.NewGuid():N}.sh");
        await File.WriteAllTextAsync(script, $"#!/bin/sh\ncase \"$1\" in\n  *One-time*) echo '{code}' ;;\n  *) echo '{password}' ;;\nesac\n");
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return await Processes.RunAsync("ssh",
        [
            "-F", "/dev/null", "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "BatchMode=no",
            "-o", "LogLevel=INFO", "-o", "PubkeyAuthentication=no", "-o", $"NumberOfPasswordPrompts={passwordPrompts}",
            "-o", $"BindAddress={source}", "-p", (port ?? stack.GatewayPort).ToString(), Destination(user, target), command,
        ], environment: new Dictionary<string, string> { ["SSH_ASKPASS"] = script, ["SSH_ASKPASS_REQUIRE"] = "force", ["DISPLAY"] = ":0" });
    }

    /// <summary>
    /// Options that make ssh share one connection between invocations (OpenSSH connection multiplexing): the first one
    /// opens it and leaves it open for a minute, later ones open their sessions over it without signing in again.
    /// </summary>
    public static string[] Multiplexed(string controlDirectory) =>
        ["-o", "ControlMaster=auto", "-o", $"ControlPath={controlDirectory}/cm-%C", "-o", "ControlPersist=60"];

    /// <summary>Closes the shared connection the <see cref="Multiplexed"/> options opened, if it is still open, and removes its folder.</summary>
    public static async Task StopMultiplexingAsync(GatehouseStack stack, GatehouseUser user, string target, string controlDirectory)
    {
        await Processes.RunAsync("ssh", [.. Options(stack, user), .. Multiplexed(controlDirectory), "-O", "exit", Destination(user, target)],
            timeout: TimeSpan.FromSeconds(10));
        Directory.Delete(controlDirectory, recursive: true);
    }

    /// <summary>A loopback address (127.x.y.z) no other test uses, so login throttles per source do not reach across tests.</summary>
    public static string FreshLoopbackSource()
    {
        var bytes = Guid.NewGuid().ToByteArray();
        return $"127.{bytes[0]}.{bytes[1]}.{Math.Clamp((int)bytes[2], 2, 254)}";
    }

    /// <summary>
    /// Environment that makes ssh read keyboard-interactive answers from a script instead of a terminal
    /// (SSH_ASKPASS_REQUIRE=force), the way the tests type a one-time code.
    /// </summary>
    public static async Task<Dictionary<string, string>> AnswerPromptsWithAsync(string directory, string answer)
    {
        var script = Path.Combine(directory, $"askpass-{Guid.NewGuid():N}.sh");
        await File.WriteAllTextAsync(script, $"#!/bin/sh\necho '{answer}'\n");
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return new Dictionary<string, string> { ["SSH_ASKPASS"] = script, ["SSH_ASKPASS_REQUIRE"] = "force", ["DISPLAY"] = ":0" };
    }
}
