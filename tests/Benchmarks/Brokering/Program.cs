using System.Diagnostics;
using System.Runtime.Versioning;
using System.Text;
using Gatehouse.Contracts;
using Gatehouse.EndToEnd.Tests.Support;
using Gatehouse.SessionBroker.Sessions;
using Microsoft.Extensions.DependencyInjection;

[assembly: SupportedOSPlatform("linux")]

// The brokered path (ssh -> gateway -> SSH.NET -> sshd, with recording, command capture and events) against OpenSSH's
// own paths measured in the same run: ProxyJump through an sshd bastion for throughput, a direct connection for
// keystroke round trip and connect-to-prompt; and a governed session (a deny policy on its target) against an ungoverned
// one through the same gateway for what command control adds per key and per Enter.
// Usage: dotnet run -c Release -- [sessions=500] [MiB=128] [lines=300]; 0 sessions or 0 MiB skips that measure.
var sessions = args.Length > 0 ? int.Parse(args[0]) : 500;
var mebibytes = args.Length > 1 ? int.Parse(args[1]) : 128;
var lines = args.Length > 2 ? int.Parse(args[2]) : 300;
Environment.SetEnvironmentVariable("Logging__LogLevel__Default", "Warning");

var stack = new GatehouseStack { IdleTimeout = TimeSpan.FromHours(1) };
await stack.InitializeAsync();
var ssh = new List<Process>();
try
{
    var (user, target, _) = await stack.AUserWithAGrantAsync("bench", "bench");
    // The same sshd behind a second target name whose label carries a deny policy: every line there is read and checked.
    var governedLabels = new Dictionary<string, string> { ["env"] = "bench-governed" };
    var governedTarget = await stack.RegisterTargetAsync("benchgov", labels: governedLabels);
    await stack.GrantAsync(user, governedTarget);
    await stack.SetCommandPolicyAsync("no-recursive-delete", "rm -rf *", CommandPatternKind.Glob, CommandPolicyAction.Deny, governedLabels);
    await using var bastion = await SshTarget.StartAsync(Path.Combine(stack.Work, "bastion"), await File.ReadAllTextAsync(stack.VaultKey + ".pub"));
    var viaGateway = await ConfigAsync(stack.Work, "gateway", user.KeyPath);
    var direct = await ConfigAsync(stack.Work, "direct", stack.VaultKey);
    string[] gateway = ["-F", viaGateway, "-p", stack.GatewayPort.ToString(), $"{user.Name}:{SshTarget.Login}@{target}@127.0.0.1"];
    string[] governed = ["-F", viaGateway, "-p", stack.GatewayPort.ToString(), $"{user.Name}:{SshTarget.Login}@{governedTarget}@127.0.0.1"];
    string[] straight = ["-F", direct, "-p", stack.Target.Port.ToString(), $"{SshTarget.Login}@127.0.0.1"];
    string[] proxyJump = ["-F", direct, "-J", $"{SshTarget.Login}@127.0.0.1:{bastion.Port}", "-p", stack.Target.Port.ToString(), $"{SshTarget.Login}@127.0.0.1"];

    Console.WriteLine($"Brokered sessions vs OpenSSH on this machine ({Environment.ProcessorCount} cores), medians.");
    Console.WriteLine();

    var payload = Path.Combine(stack.Work, "payload.bin");
    await using (var file = File.Create(payload))
    {
        var block = new byte[1 << 20];
        for (var i = 0; i < mebibytes; i++)
        {
            Random.Shared.NextBytes(block);
            await file.WriteAsync(block);
        }
    }

    async Task<double> Throughput(string[] path) =>
        mebibytes / await TimeShell($"ssh {string.Join(' ', path)} 'cat > /dev/null' < {payload}");
    Console.WriteLine("| measure | gateway | OpenSSH baseline | ratio | aim |");
    Console.WriteLine("|---|---|---|---|---|");
    if (mebibytes > 0)
    {
        await Throughput(gateway);
        await Throughput(proxyJump);
        var gatewayRate = Median(await Repeat(3, () => Throughput(gateway)));
        var proxyRate = Median(await Repeat(3, () => Throughput(proxyJump)));
        Console.WriteLine($"| bulk upload {mebibytes} MiB, client -> target (baseline: ssh -J through an sshd bastion) | {gatewayRate:F0} MiB/s | {proxyRate:F0} MiB/s | {gatewayRate / proxyRate:F2}x | >= 0.6x |");
    }

    var gatewayKeys = await KeystrokesAsync(gateway, 300);
    var directKeys = await KeystrokesAsync(straight, 300);
    Console.WriteLine($"| keystroke echo round trip p50 (baseline: direct ssh) | {Percentile(gatewayKeys, 50):F2} ms | {Percentile(directKeys, 50):F2} ms | +{Percentile(gatewayKeys, 50) - Percentile(directKeys, 50):F2} ms | < +1 ms |");
    Console.WriteLine($"| keystroke echo round trip p99 | {Percentile(gatewayKeys, 99):F2} ms | {Percentile(directKeys, 99):F2} ms | +{Percentile(gatewayKeys, 99) - Percentile(directKeys, 99):F2} ms | |");

    var gatewayPrompt = Median(await Repeat(10, () => ToPromptAsync(gateway)));
    var directPrompt = Median(await Repeat(10, () => ToPromptAsync(straight)));
    Console.WriteLine($"| connect to shell prompt (baseline: direct ssh) | {gatewayPrompt:F0} ms | {directPrompt:F0} ms | {gatewayPrompt / directPrompt:F2}x | < 300 ms |");

    // The same connect through a target that trusts Gatehouse's user CA: a fresh key, a signed certificate and its
    // event per connection instead of opening the vaulted key.
    var userCa = await GatehouseCli.RunAsync(stack, "ca", "show", "--user");
    await using var caTarget = await SshTarget.StartTrustingUserCaAsync(Path.Combine(stack.Work, "ca-target"), userCa.Out);
    var certificateTarget = await stack.RegisterTargetAsync("benchca", on: caTarget, storeCredential: false, trustsGatehouseUserCa: true);
    await stack.GrantAsync(user, certificateTarget);
    string[] withCertificate = ["-F", viaGateway, "-p", stack.GatewayPort.ToString(), $"{user.Name}:{SshTarget.Login}@{certificateTarget}@127.0.0.1"];
    await ToPromptAsync(withCertificate);
    var vaulted = await Repeat(15, () => ToPromptAsync(gateway));
    var certified = await Repeat(15, () => ToPromptAsync(withCertificate));
    Console.WriteLine($"| connect to shell prompt, target login by user certificate (baseline: vaulted key), median [min-max] | "
                      + $"{Median(certified):F0} ms [{certified.Min():F0}-{certified.Max():F0}] | {Median(vaulted):F0} ms [{vaulted.Min():F0}-{vaulted.Max():F0}] | "
                      + $"{Median(certified) / Median(vaulted):F2}x | |");

    var governedTable = await GovernedAsync(governed, gateway, lines);

    if (sessions > 0)
    {
        var live = stack.Broker.GetRequiredService<LiveSessions>();
        var (heapBefore, rssBefore) = Memory();
        for (var started = 0; started < sessions;)
        {
            // The gateway admits at most 10 unauthenticated connections per source address.
            var batch = Math.Min(8, sessions - started);
            for (var i = 0; i < batch; i++)
            {
                ssh.Add(StartShell(gateway));
            }

            started += batch;
            var deadline = Stopwatch.StartNew();
            while (live.Count < started && deadline.Elapsed < TimeSpan.FromSeconds(60))
            {
                await Task.Delay(20);
            }
        }

        if (live.Count < sessions)
        {
            throw new InvalidOperationException($"only {live.Count} of {sessions} sessions went live");
        }

        await Task.Delay(2000);
        var (heapAfter, rssAfter) = Memory();
        Console.WriteLine($"| memory per idle shell session, {sessions} at once (process RSS) | {(rssAfter - rssBefore) / sessions / 1024.0:F0} KiB | | | < 1024 KiB |");
        Console.WriteLine($"| memory per idle shell session, {sessions} at once (managed heap) | {(heapAfter - heapBefore) / sessions / 1024.0:F0} KiB | | | |");
    }

    foreach (var line in governedTable)
    {
        Console.WriteLine(line);
    }
}
finally
{
    foreach (var process in ssh)
    {
        if (!process.HasExited)
        {
            process.Kill();
        }
    }

    foreach (var process in ssh)
    {
        await process.WaitForExitAsync();
        process.Dispose();
    }

    await stack.DisposeAsync();
}

static async Task<string> ConfigAsync(string work, string name, string identity)
{
    var path = Path.Combine(work, $"ssh_config_{name}");
    await File.WriteAllTextAsync(path, $"""
        Host *
          IdentityFile {identity}
          IdentitiesOnly yes
          StrictHostKeyChecking no
          UserKnownHostsFile /dev/null
          LogLevel ERROR
          BatchMode yes
        """ + "\n");
    return path;
}

static Process StartShell(string[] path)
{
    var start = new ProcessStartInfo("ssh") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
    foreach (var argument in path.Prepend("-tt"))
    {
        start.ArgumentList.Add(argument);
    }

    var process = Process.Start(start)!;
    _ = process.StandardError.BaseStream.CopyToAsync(Stream.Null);
    _ = process.StandardOutput.BaseStream.CopyToAsync(Stream.Null);
    return process;
}

// Two shells through the gateway, one governed and one not, measured turn about so both see the same load: a keystroke's
// echo round trip, and Enter on a typed line ('true', already echoed) until the next prompt, which is the time the gateway
// holds Enter to read, check and record the line.
static async Task<List<string>> GovernedAsync(string[] governed, string[] ungoverned, int lines)
{
    var loadBefore = File.ReadAllText("/proc/loadavg").Split(' ')[0];
    using var checkedShell = StartRaw(governed);
    using var plainShell = StartRaw(ungoverned);
    await WaitForPromptAsync(checkedShell);
    await WaitForPromptAsync(plainShell);
    var keys = (Governed: new List<double>(), Ungoverned: new List<double>());
    var enters = (Governed: new List<double>(), Ungoverned: new List<double>());
    for (var i = 0; i < lines + 20; i++)
    {
        var key = (Governed: await KeystrokeAsync(checkedShell), Ungoverned: await KeystrokeAsync(plainShell));
        var enter = (Governed: await EnterAsync(checkedShell), Ungoverned: await EnterAsync(plainShell));
        if (i >= 20)
        {
            keys.Governed.Add(key.Governed);
            keys.Ungoverned.Add(key.Ungoverned);
            enters.Governed.Add(enter.Governed);
            enters.Ungoverned.Add(enter.Ungoverned);
        }
    }

    await CloseAsync(checkedShell);
    await CloseAsync(plainShell);
    List<string> table =
    [
        "",
        $"Governed session (deny policy 'rm -rf *') vs ungoverned, same gateway, {lines} keys and lines each, turn about "
        + $"(load average before {loadBefore}, after {File.ReadAllText("/proc/loadavg").Split(' ')[0]}):",
        "",
        "| measure | governed | ungoverned | added | aim |",
        "|---|---|---|---|---|",
    ];
    foreach (var (name, values, aim) in new[] { ("keystroke echo round trip", keys, ""), ("Enter on 'true' to the next prompt", enters, "< +1 ms at p99") })
    {
        foreach (var percentile in new[] { 50, 99 })
        {
            var (withPolicy, without) = (Percentile(values.Governed, percentile), Percentile(values.Ungoverned, percentile));
            table.Add($"| {name} p{percentile} | {withPolicy:F2} ms | {without:F2} ms | {(withPolicy - without) * 1000:+0;-0} µs ({withPolicy / without:F2}x) | {(percentile == 99 ? aim : "")} |");
        }

        // Each governed key or line less the ungoverned one measured right after it: the pair saw the same load.
        var paired = values.Governed.Zip(values.Ungoverned, (g, u) => g - u).ToList();
        table.Add($"| {name}, paired difference p50 / p99 | | | {Percentile(paired, 50) * 1000:+0;-0} / {Percentile(paired, 99) * 1000:+0;-0} µs | |");
    }

    return table;
}

static async Task<double> KeystrokeAsync(Process process)
{
    var clock = Stopwatch.StartNew();
    await process.StandardInput.BaseStream.WriteAsync("x"u8.ToArray());
    await process.StandardInput.BaseStream.FlushAsync();
    await WaitForAsync(process, text => text.Contains('x'));
    var elapsed = clock.Elapsed.TotalMilliseconds;
    await process.StandardInput.BaseStream.WriteAsync("\x7f"u8.ToArray());
    await process.StandardInput.BaseStream.FlushAsync();
    await WaitForAsync(process, text => text.Contains('\b'));
    return elapsed;
}

static async Task<double> EnterAsync(Process process)
{
    await process.StandardInput.BaseStream.WriteAsync("true"u8.ToArray());
    await process.StandardInput.BaseStream.FlushAsync();
    await WaitForAsync(process, text => text.Contains("true"));
    var clock = Stopwatch.StartNew();
    await process.StandardInput.BaseStream.WriteAsync("\r"u8.ToArray());
    await process.StandardInput.BaseStream.FlushAsync();
    await WaitForPromptAsync(process);
    return clock.Elapsed.TotalMilliseconds;
}

static Task WaitForPromptAsync(Process process) => WaitForAsync(process, text => text.EndsWith("# ") || text.EndsWith("$ "));

static async Task<double> ToPromptAsync(string[] path)
{
    var clock = Stopwatch.StartNew();
    using var process = StartRaw(path);
    await WaitForPromptAsync(process);
    var elapsed = clock.Elapsed.TotalMilliseconds;
    await CloseAsync(process);
    return elapsed;
}

static async Task<List<double>> KeystrokesAsync(string[] path, int count)
{
    using var process = StartRaw(path);
    await WaitForPromptAsync(process);
    var times = new List<double>();
    for (var i = 0; i < count + 20; i++)
    {
        var elapsed = await KeystrokeAsync(process);
        if (i >= 20)
        {
            times.Add(elapsed);
        }
    }

    await CloseAsync(process);
    return times;
}

static Process StartRaw(string[] path)
{
    var start = new ProcessStartInfo("ssh") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
    foreach (var argument in path.Prepend("-tt"))
    {
        start.ArgumentList.Add(argument);
    }

    var process = Process.Start(start)!;
    _ = process.StandardError.BaseStream.CopyToAsync(Stream.Null);
    return process;
}

static async Task WaitForAsync(Process process, Func<string, bool> done)
{
    var buffer = new byte[4096];
    var seen = new StringBuilder();
    using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
    while (!done(seen.ToString()))
    {
        int read;
        try
        {
            read = await process.StandardOutput.BaseStream.ReadAsync(buffer, deadline.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"ssh did not show what was expected; it showed: {seen}");
        }

        if (read == 0)
        {
            throw new InvalidOperationException($"ssh ended early: {seen}");
        }

        seen.Append(Encoding.UTF8.GetString(buffer, 0, read));
    }
}

static async Task CloseAsync(Process process)
{
    await process.StandardInput.BaseStream.WriteAsync("\rexit\r"u8.ToArray());
    await process.StandardInput.BaseStream.FlushAsync();
    using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
    var rest = new MemoryStream();
    _ = process.StandardOutput.BaseStream.CopyToAsync(rest);
    try
    {
        await process.WaitForExitAsync(deadline.Token);
    }
    catch (OperationCanceledException)
    {
        throw new TimeoutException("ssh did not exit after 'exit': " + Encoding.UTF8.GetString(rest.ToArray()));
    }
}

static (long Heap, long Rss) Memory()
{
    GC.Collect();
    GC.WaitForPendingFinalizers();
    GC.Collect();
    using var self = Process.GetCurrentProcess();
    return (GC.GetTotalMemory(true), self.WorkingSet64);
}

static async Task<List<double>> Repeat(int count, Func<Task<double>> measure)
{
    var results = new List<double>();
    for (var i = 0; i < count; i++)
    {
        results.Add(await measure());
    }

    return results;
}

static double Median(List<double> values) => Percentile(values, 50);

static double Percentile(List<double> values, int percentile)
{
    var sorted = values.Order().ToList();
    return sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(percentile / 100.0 * sorted.Count) - 1)];
}

static async Task<double> TimeShell(string command)
{
    var clock = Stopwatch.StartNew();
    using var process = Process.Start(new ProcessStartInfo("/bin/sh", ["-c", command]) { RedirectStandardError = true })!;
    var error = process.StandardError.ReadToEndAsync();
    await process.WaitForExitAsync();
    var elapsed = clock.Elapsed.TotalSeconds;
    if (process.ExitCode != 0)
    {
        throw new InvalidOperationException($"'{command}' failed: {await error}");
    }

    return elapsed;
}
