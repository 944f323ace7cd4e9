using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Runtime.Versioning;
using Gatehouse.EndToEnd.Tests.Support;
using Gatehouse.Forwarding.Benchmarks;

[assembly: SupportedOSPlatform("linux")]

// Tunnel throughput: ssh -L through the gateway (ssh -> gateway -> SSH.NET direct-tcpip from the target -> destination)
// against ssh -L through an sshd used as the bastion (ssh -> sshd -> destination), measured in the same run, turn about.
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

    var (gatewayUp, gatewayDown) = (Processes.FreePort(), Processes.FreePort());
    var (bastionUp, bastionDown) = (Processes.FreePort(), Processes.FreePort());
    tunnels.Add(Tunnel(["-i", user.KeyPath, "-p", stack.GatewayPort.ToString(), "-L", $"{gatewayUp}:127.0.0.1:{sinkPort}",
        "-L", $"{gatewayDown}:127.0.0.1:{sourcePort}", $"{user.Name}:{SshTarget.Login}@{target}@127.0.0.1"]));
    tunnels.Add(Tunnel(["-i", stack.VaultKey, "-p", bastion.Port.ToString(), "-L", $"{bastionUp}:127.0.0.1:{sinkPort}",
        "-L", $"{bastionDown}:127.0.0.1:{sourcePort}", $"{SshTarget.Login}@127.0.0.1"]));
    foreach (var port in new[] { gatewayUp, gatewayDown, bastionUp, bastionDown })
    {
        await Processes.WaitForPortAsync(port);
    }

    // Who spends CPU on each path: this process (the gateway, and on both paths the test's own client, sink and source),
    // the ssh client, and the sshd behind it (the target for the gateway's path, the bastion for OpenSSH's).
    var self = Environment.ProcessId;
    var (gatewayTunnel, bastionTunnel) = (tunnels[0].Id, tunnels[1].Id);
    var targetConfig = Path.Combine(stack.Target.Directory, "sshd_config");
    var bastionConfig = Path.Combine(bastion.Directory, "sshd_config");

    var jitted = await Measure.JitSettledAsync();
    Console.WriteLine($"ssh -L through the gateway vs through an sshd bastion ({Environment.ProcessorCount} cores, load average {Measure.LoadAverage()}), "
                      + $"{mebibytes} MiB, {rounds} rounds after a warm-up, turn about: median (min-max); started after the JIT settled ({jitted} methods).");
    Console.WriteLine();
    Console.WriteLine("| measure | gateway | OpenSSH sshd bastion | ratio | aim |");
    Console.WriteLine("|---|---|---|---|---|");
    var cpuLines = new List<string>();
    foreach (var (name, gatewayPort, bastionPort, measure) in new (string, int, int, Func<int, int, Task<double>>)[]
             {
                 ("upload, client -> destination", gatewayUp, bastionUp, UploadAsync),
                 ("download, destination -> client", gatewayDown, bastionDown, DownloadAsync),
             })
    {
        await measure(gatewayPort, mebibytes);
        await measure(bastionPort, mebibytes);
        // The warm-up made the relay's code hot: its tier-1 recompiles happen now rather than in the first round.
        await Measure.JitSettledAsync();
        var gatewayCpu = new CpuPerMebibyte(("this process (gateway, test client and destination)", () => [self]),
            ("ssh client", () => [gatewayTunnel]), ("target sshd", () => Measure.SshdTree(targetConfig)));
        var bastionCpu = new CpuPerMebibyte(("this process (test client and destination)", () => [self]),
            ("ssh client", () => [bastionTunnel]), ("bastion sshd", () => Measure.SshdTree(bastionConfig)));
        var (viaGateway, viaBastion) = (new List<double>(), new List<double>());
        for (var i = 0; i < rounds; i++)
        {
            viaGateway.Add(await gatewayCpu.MeasureAsync(() => measure(gatewayPort, mebibytes), mebibytes));
            viaBastion.Add(await bastionCpu.MeasureAsync(() => measure(bastionPort, mebibytes), mebibytes));
        }

        Console.WriteLine($"| tunnel {name}, {mebibytes} MiB | {Measure.Spread(viaGateway, "MiB/s")} | {Measure.Spread(viaBastion, "MiB/s")} | "
                          + $"{Measure.Median(viaGateway) / Measure.Median(viaBastion):F2}x | >= 1.0x |");
        cpuLines.Add($"- CPU per MiB, tunnel {name}: through the gateway: {gatewayCpu}; through the sshd bastion: {bastionCpu}");
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
    Console.WriteLine($"load average after: {Measure.LoadAverage()}");
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

static Process Tunnel(string[] path)
{
    var start = new ProcessStartInfo("ssh") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
    string[] options = ["-N", "-o", "ExitOnForwardFailure=yes", .. Measure.BatchSsh];
    foreach (var argument in options.Concat(path))
    {
        start.ArgumentList.Add(argument);
    }

    var process = Process.Start(start)!;
    _ = process.StandardError.BaseStream.CopyToAsync(Console.OpenStandardError());
    _ = process.StandardOutput.BaseStream.CopyToAsync(Stream.Null);
    return process;
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
