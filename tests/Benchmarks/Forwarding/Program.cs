using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Runtime.Versioning;
using Gatehouse.EndToEnd.Tests.Support;
using Gatehouse.Forwarding.Benchmarks;

[assembly: SupportedOSPlatform("linux")]

// Tunnel throughput: ssh -L through the gateway (ssh -> gateway -> SSH.NET direct-tcpip from the target -> destination)
// against OpenSSH through an sshd bastion, both ways it can be done: ssh -J bastion -L ... target (the destination reached
// from the target, as through the gateway) and ssh -L ... bastion (reached from the bastion itself), measured in the
// same run, turn about.
// The destination is a sink that counts what it receives and answers one byte after the sender's end (upload), or a
// source that sends the amount and closes (download); both on loopback.
// Usage: dotnet run -c Release -- [MiB=512] [rounds=3]
//        dotnet run -c Release -- jump [MiB=256] [rounds=3] [connects=10]   (ProxyJump mode, see ProxyJumpBenchmark.cs)
if (args.FirstOrDefault() == "jump")
{
    await Gatehouse.Forwarding.Benchmarks.ProxyJumpBenchmark.RunAsync(args.Skip(1).ToArray());
    return;
}

var mebibytes = args.Length > 0 ? int.Parse(args[0]) : 512;
var rounds = args.Length > 1 ? int.Parse(args[1]) : 3;
Environment.SetEnvironmentVariable("Logging__LogLevel__Default", "Warning");

var stack = new GatehouseStack { IdleTimeout = TimeSpan.FromHours(1) };
await stack.InitializeAsync();
var tunnels = new List<Process>();
try
{
    using var sink = new TcpListener(IPAddress.Loopback, 0);
    sink.Start();
    using var source = new TcpListener(IPAddress.Loopback, 0);
    source.Start();
    _ = ServeAsync(sink, SinkAsync);
    _ = ServeAsync(source, peer => SourceAsync(peer, mebibytes));
    var sinkPort = ((IPEndPoint)sink.LocalEndpoint).Port;
    var sourcePort = ((IPEndPoint)source.LocalEndpoint).Port;

    var user = await stack.CreateUserAsync("bench");
    var target = await stack.RegisterTargetAsync("bench");
    (await stack.AuthorizationAdmin.PostAsJsonAsync("api/grants", new
    {
        subjectKind = "User", subject = user.Name, targetNames = new[] { target }, logins = new[] { SshTarget.Login },
        portForwardingAllowed = true, forwardingDestinations = new[] { $"127.0.0.1:{sinkPort}", $"127.0.0.1:{sourcePort}" },
    }, GatehouseStack.Json)).EnsureSuccessStatusCode();
    await using var bastion = await SshTarget.StartAsync(Path.Combine(stack.Work, "bastion"), await File.ReadAllTextAsync(stack.VaultKey + ".pub"));
    try
    {

        // Three paths to the same destinations: the gateway (the destination reached from the target, as the issue asks);
        // OpenSSH with the destination reached from the target too (ssh -J bastion -L ... target: the client runs the inner
        // connection to the target through the bastion); OpenSSH with the destination reached from the bastion itself
        // (ssh -L ... bastion: one encrypted leg, the bastion's own network position).
        var gateway = new TunnelPath("gateway", "ssh -L through the gateway", "target sshd", () => Measure.SshdTree(Path.Combine(stack.Target.Directory, "sshd_config")));
        var jump = new TunnelPath("jump", "OpenSSH ssh -J bastion -L ... target", "bastion and target sshd",
            () => Measure.SshdTree(Path.Combine(bastion.Directory, "sshd_config")).Concat(Measure.SshdTree(Path.Combine(stack.Target.Directory, "sshd_config"))));
        var direct = new TunnelPath("direct", "OpenSSH ssh -L ... bastion", "bastion sshd", () => Measure.SshdTree(Path.Combine(bastion.Directory, "sshd_config")));
        var paths = new[] { gateway, jump, direct };
        string ForwardsOf(TunnelPath path) => $"-L {path.Up}:127.0.0.1:{sinkPort} -L {path.Down}:127.0.0.1:{sourcePort}";
        gateway.Start(tunnels, ["-i", user.KeyPath, "-p", stack.GatewayPort.ToString(), .. ForwardsOf(gateway).Split(' '),
            $"{user.Name}:{SshTarget.Login}@{target}@127.0.0.1"]);
        var proxy = "ssh " + string.Join(' ', Measure.BatchSsh) + $" -i {stack.VaultKey} -p {bastion.Port} -W %h:%p {SshTarget.Login}@127.0.0.1";
        jump.Start(tunnels, ["-i", stack.VaultKey, "-o", $"ProxyCommand={proxy}", "-p", stack.Target.Port.ToString(), .. ForwardsOf(jump).Split(' '),
            $"{SshTarget.Login}@127.0.0.1"]);
        direct.Start(tunnels, ["-i", stack.VaultKey, "-p", bastion.Port.ToString(), .. ForwardsOf(direct).Split(' '), $"{SshTarget.Login}@127.0.0.1"]);
        foreach (var path in paths)
        {
            await Processes.WaitForPortAsync(path.Up);
            await Processes.WaitForPortAsync(path.Down);
        }

        var self = Environment.ProcessId;
        var jitted = await Measure.JitSettledAsync();
        Console.WriteLine($"ssh -L through the gateway vs OpenSSH through an sshd bastion ({Environment.ProcessorCount} cores, load average {Measure.LoadAverage()}), "
                          + $"{mebibytes} MiB, {rounds} rounds after a warm-up, turn about: median (min-max); started after the JIT settled ({jitted} methods).");
        Console.WriteLine();
        Console.WriteLine("| measure | gateway | OpenSSH -J bastion -L (from the target) | ratio | OpenSSH -L to the bastion (from the bastion) | ratio | aim |");
        Console.WriteLine("|---|---|---|---|---|---|---|");
        var cpuLines = new List<string>();
        var warmUps = new List<string>();
        foreach (var (name, upload) in new[] { ("upload, client -> destination", true), ("download, destination -> client", false) })
        {
            Func<int, int, Task<double>> measure = upload ? UploadAsync : DownloadAsync;
            int PortOf(TunnelPath path) => upload ? path.Up : path.Down;
            // Warmed up until a whole pass ran with the JIT nearly idle: the JIT's CPU counts in this process's figure, and a
            // running gateway has long finished compiling its relay (seen: 2-6 ms/MiB of JIT time in the rounds after one pass).
            var passes = await Measure.WarmUpAsync(async () =>
            {
                foreach (var path in paths)
                {
                    try
                    {
                        await measure(PortOf(path), mebibytes);
                    }
                    catch (Exception e) when (e is IOException or SocketException or InvalidOperationException)
                    {
                        throw new InvalidOperationException($"{path.Description}: the warm-up {name} failed at {DateTime.UtcNow:HH:mm:ss.fff}", e);
                    }
                }
            });
            warmUps.Add($"{name}: {passes}");
            var cpu = paths.ToDictionary(p => p, p => new CpuPerMebibyte(
                (p == gateway ? "this process (gateway, test client and destination)" : "this process (test client and destination)", () => [self]),
                ("ssh client", () => Measure.Tree(p.Client)), (p.Servers, p.ServerProcesses)));
            var rates = paths.ToDictionary(p => p, _ => new List<double>());
            for (var i = 0; i < rounds; i++)
            {
                foreach (var path in paths)
                {
                    rates[path].Add(await cpu[path].MeasureAsync(() => measure(PortOf(path), mebibytes), mebibytes));
                }
            }

            double Ratio(TunnelPath to) => Measure.Median(rates[gateway]) / Measure.Median(rates[to]);
            Console.WriteLine($"| tunnel {name}, {mebibytes} MiB | {Measure.Spread(rates[gateway], "MiB/s")} | {Measure.Spread(rates[jump], "MiB/s")} | {Ratio(jump):F2}x | "
                              + $"{Measure.Spread(rates[direct], "MiB/s")} | {Ratio(direct):F2}x | >= 1.0x |");
            foreach (var path in paths)
            {
                cpuLines.Add($"- CPU per MiB, tunnel {name}, {path.Description}: {cpu[path]}");
            }
        }

        // For scale: the same bytes through a brokered session on the same gateway and target (ssh ... 'cat > /dev/null').
        string[] session = [.. Measure.BatchSsh, "-i", user.KeyPath, "-p", stack.GatewayPort.ToString(),
            $"{user.Name}:{SshTarget.Login}@{target}@127.0.0.1"];
        var sessionRates = new List<double>();
        for (var i = 0; i < rounds; i++)
        {
            sessionRates.Add(await Measure.UploadAsync(session, mebibytes));
        }

        Console.WriteLine($"| for scale: session upload through the gateway, 'cat > /dev/null', {mebibytes} MiB | {Measure.Spread(sessionRates, "MiB/s")} | | | |");
        Console.WriteLine();
        foreach (var line in cpuLines)
        {
            Console.WriteLine(line);
        }

        Console.WriteLine();
        Console.WriteLine($"warm-up passes (until the JIT was busy for under {Measure.SettledJitShare:P0} of one): {string.Join(", ", warmUps)}");
        Console.WriteLine($"load average after: {Measure.LoadAverage()}");
    }
    catch (Exception)
    {
        // A tunnel lost on one path: what the servers said is the first thing to read.
        foreach (var (name, log) in new[] { ("bastion sshd", bastion.Log), ("target sshd", stack.Target.Log) })
        {
            Console.Error.WriteLine($"--- {name}, last lines:");
            foreach (var line in log.TakeLast(15))
            {
                Console.Error.WriteLine(line);
            }
        }

        throw;
    }
}
finally
{
    foreach (var process in tunnels)
    {
        process.Kill();
        await process.WaitForExitAsync();
        process.Dispose();
    }

    await stack.DisposeAsync();
}

// Sends the amount into the tunnel, then its end; timed until the sink's one-byte answer says all arrived.
static async Task<double> UploadAsync(int port, int mebibytes)
{
    var block = new byte[1 << 20];
    Random.Shared.NextBytes(block);
    using var client = new TcpClient { NoDelay = true };
    var clock = Stopwatch.StartNew();
    await client.ConnectAsync(IPAddress.Loopback, port);
    var stream = client.GetStream();
    for (var i = 0; i < mebibytes; i++)
    {
        await stream.WriteAsync(block);
    }

    client.Client.Shutdown(SocketShutdown.Send);
    var answer = new byte[8];
    var read = await stream.ReadAsync(answer);
    if (read != 8 || BitConverter.ToInt64(answer) != (long)mebibytes << 20)
    {
        throw new InvalidOperationException($"the sink did not get all {mebibytes} MiB");
    }

    return mebibytes / clock.Elapsed.TotalSeconds;
}

static async Task<double> DownloadAsync(int port, int mebibytes)
{
    var buffer = new byte[1 << 20];
    using var client = new TcpClient { NoDelay = true };
    var clock = Stopwatch.StartNew();
    await client.ConnectAsync(IPAddress.Loopback, port);
    var stream = client.GetStream();
    long total = 0;
    int read;
    while ((read = await stream.ReadAsync(buffer)) > 0)
    {
        total += read;
    }

    if (total != (long)mebibytes << 20)
    {
        throw new InvalidOperationException($"got {total} bytes of {mebibytes} MiB");
    }

    return mebibytes / clock.Elapsed.TotalSeconds;
}

static async Task ServeAsync(TcpListener listener, Func<TcpClient, Task> serve)
{
    while (true)
    {
        var peer = await listener.AcceptTcpClientAsync();
        _ = Task.Run(async () =>
        {
            using (peer)
            {
                try
                {
                    await serve(peer);
                }
                catch (Exception e) when (e is IOException or SocketException)
                {
                    // A probe of the forwarded port (WaitForPortAsync) closes at once.
                }
            }
        });
    }
}

static async Task SinkAsync(TcpClient peer)
{
    var stream = peer.GetStream();
    var buffer = new byte[1 << 20];
    long total = 0;
    int read;
    while ((read = await stream.ReadAsync(buffer)) > 0)
    {
        total += read;
    }

    await stream.WriteAsync(BitConverter.GetBytes(total));
}

static async Task SourceAsync(TcpClient peer, int mebibytes)
{
    var stream = peer.GetStream();
    var block = new byte[1 << 20];
    Random.Shared.NextBytes(block);
    for (var i = 0; i < mebibytes; i++)
    {
        await stream.WriteAsync(block);
    }

    peer.Client.Shutdown(SocketShutdown.Send);
}

/// <summary>One way through to the destinations: its ssh client with two forwards (upload, download) and its servers.</summary>
internal sealed class TunnelPath(string name, string description, string servers, Func<IEnumerable<int>> serverProcesses)
{
    public string Name { get; } = name;
    public string Description { get; } = description;
    public string Servers { get; } = servers;
    public Func<IEnumerable<int>> ServerProcesses { get; } = serverProcesses;
    public int Up { get; } = Processes.FreePort();
    public int Down { get; } = Processes.FreePort();
    public int Client { get; private set; }

    public void Start(List<Process> started, string[] arguments)
    {
        var start = new ProcessStartInfo("ssh") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        string[] options = ["-N", "-o", "ExitOnForwardFailure=yes", .. Measure.BatchSsh];
        foreach (var argument in options.Concat(arguments))
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start)!;
        var label = Name;
        _ = Task.Run(async () =>
        {
            while (await process.StandardError.ReadLineAsync() is { } line)
            {
                Console.Error.WriteLine($"[{label} ssh, {DateTime.UtcNow:HH:mm:ss.fff}] {line}");
            }
        });
        _ = process.StandardOutput.BaseStream.CopyToAsync(Stream.Null);
        started.Add(process);
        Client = process.Id;
    }
}
