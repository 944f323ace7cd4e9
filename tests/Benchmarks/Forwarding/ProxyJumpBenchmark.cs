using System.Diagnostics;
using Gatehouse.EndToEnd.Tests.Support;

namespace Gatehouse.Forwarding.Benchmarks;

/// <summary>
/// ProxyJump mode: connect time (<c>ssh target true</c>) and bulk upload (<c>cat &gt; /dev/null</c>) through the gateway with
/// an ssh_config ProxyJump block (the gateway terminates the inner connection and brokers it to the target) against
/// OpenSSH's own <c>ssh -J</c> through an sshd bastion (the client runs the inner connection through the bastion, which
/// only relays it), to the same sshd target, measured in the same run, turn about.
/// </summary>
public static class ProxyJumpBenchmark
{
    public static async Task RunAsync(string[] args)
    {
        var mebibytes = args.Length > 0 ? int.Parse(args[0]) : 256;
        var rounds = args.Length > 1 ? int.Parse(args[1]) : 3;
        var connects = args.Length > 2 ? int.Parse(args[2]) : 10;
        Environment.SetEnvironmentVariable("Logging__LogLevel__Default", "Warning");
        var stack = new GatehouseStack { IdleTimeout = TimeSpan.FromHours(1) };
        await stack.InitializeAsync();
        try
        {
            var (user, target, _) = await stack.AUserWithAGrantAsync("benchjump", "bjump");
            await using var bastion = await SshTarget.StartAsync(Path.Combine(stack.Work, "bastion"), await File.ReadAllTextAsync(stack.VaultKey + ".pub"));
            var gatewayConfig = await WriteConfigAsync(stack.Work, "gateway", $"""
                Host gatehouse
                    HostName 127.0.0.1
                    Port {stack.GatewayPort}
                    User {user.Name}
                Host {target}
                    ProxyJump gatehouse
                    User {SshTarget.Login}
                Host *
                    IdentityFile {user.KeyPath}
                """);
            var bastionConfig = await WriteConfigAsync(stack.Work, "bastion", $"""
                Host bastion
                    HostName 127.0.0.1
                    Port {bastion.Port}
                    User {SshTarget.Login}
                Host target
                    HostName 127.0.0.1
                    Port {stack.Target.Port}
                    ProxyJump bastion
                    User {SshTarget.Login}
                Host *
                    IdentityFile {stack.VaultKey}
                """);
            string[] viaGateway = ["-F", gatewayConfig, target];
            string[] viaBastion = ["-F", bastionConfig, "target"];

            var load = Measure.LoadAverage();
            Console.WriteLine($"ProxyJump through the gateway vs OpenSSH ssh -J through an sshd bastion ({Environment.ProcessorCount} cores, load average {load}); "
                              + $"connect: {connects} rounds, upload: {mebibytes} MiB x {rounds} rounds, after a warm-up, turn about: median (min-max).");
            Console.WriteLine();
            Console.WriteLine("| measure | gateway (terminates, re-encrypts) | OpenSSH ssh -J (client double-encrypts) | ratio | aim |");
            Console.WriteLine("|---|---|---|---|---|");

            var connectPasses = await Measure.WarmUpAsync(async () =>
            {
                await ConnectAsync(viaGateway);
                await ConnectAsync(viaBastion);
            });
            var (gatewayConnects, bastionConnects) = (new List<double>(), new List<double>());
            for (var i = 0; i < connects; i++)
            {
                gatewayConnects.Add(await ConnectAsync(viaGateway));
                bastionConnects.Add(await ConnectAsync(viaBastion));
            }

            Console.WriteLine($"| connect, `ssh target true` | {Measure.Spread(gatewayConnects, "ms")} | {Measure.Spread(bastionConnects, "ms")} | "
                              + $"{Measure.Median(gatewayConnects) / Measure.Median(bastionConnects):F2}x | <= 1.1x |");

            var uploadPasses = await Measure.WarmUpAsync(async () =>
            {
                await Measure.UploadAsync(viaGateway, 16);
                await Measure.UploadAsync(viaBastion, 16);
            });
            var (gatewayRates, bastionRates) = (new List<double>(), new List<double>());
            for (var i = 0; i < rounds; i++)
            {
                gatewayRates.Add(await Measure.UploadAsync(viaGateway, mebibytes));
                bastionRates.Add(await Measure.UploadAsync(viaBastion, mebibytes));
            }

            Console.WriteLine($"| bulk upload, `cat > /dev/null`, {mebibytes} MiB | {Measure.Spread(gatewayRates, "MiB/s")} | {Measure.Spread(bastionRates, "MiB/s")} | "
                              + $"{Measure.Median(gatewayRates) / Measure.Median(bastionRates):F2}x | >= 1.0x |");
            Console.WriteLine();
            Console.WriteLine($"warm-up passes (until the JIT was busy for under {Measure.SettledJitShare:P0} of one): connect {connectPasses}, upload {uploadPasses}");
            Console.WriteLine($"load average after: {Measure.LoadAverage()}");
        }
        finally
        {
            await stack.DisposeAsync();
        }
    }

    private static async Task<string> WriteConfigAsync(string directory, string name, string hosts)
    {
        var path = Path.Combine(directory, $"ssh_config-{name}");
        await File.WriteAllTextAsync(path, hosts + """

                IdentitiesOnly yes
                BatchMode yes
                StrictHostKeyChecking no
                UserKnownHostsFile /dev/null
                LogLevel ERROR

            """);
        return path;
    }

    private static async Task<double> ConnectAsync(string[] path)
    {
        var clock = Stopwatch.StartNew();
        var result = await Processes.RunAsync("ssh", [.. path, "true"]);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"ssh {string.Join(' ', path)} true failed: {result.Error}");
        }

        return clock.Elapsed.TotalMilliseconds;
    }
}
