using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Gatehouse.Ssh;
using Gatehouse.Ssh.Benchmarks;

// Compares the gateway with OpenSSH's sshd on this machine: bulk throughput per cipher,
// connection setup latency (connect -> exec result) and handshake cost per key exchange method,
// medians of several runs each. "kex [runs]" measures only the key exchanges, "cpu [runs]" only the gateway's CPU per exchange.
if (args is ["cpu", ..])
{
    Console.WriteLine($"# {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC on {Environment.ProcessorCount} cores, load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]}");
    KeyExchangeCost.ServerComputation(args.Length > 1 ? int.Parse(args[1]) : 200);
    return;
}

var kexOnly = args.Length > 0 && args[0] == "kex";
var kexRuns = kexOnly && args.Length > 1 ? int.Parse(args[1]) : 21;
if (kexOnly) args = [];
var runs = args.Length > 0 ? int.Parse(args[0]) : 5;
var megabytes = args.Length > 1 ? int.Parse(args[1]) : 512;
var setupRuns = args.Length > 2 ? int.Parse(args[2]) : 15;
var cipherFilter = args.Length > 3 ? args[3] : "";

var work = Directory.CreateTempSubdirectory("gatehouse-bench-").FullName;
try
{
    var clientKey = Path.Combine(work, "id_ed25519");
    await Run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", clientKey);
    var sshdHostKey = Path.Combine(work, "sshd_host_ed25519_key");
    await Run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", sshdHostKey);
    var authorizedKey = (await File.ReadAllTextAsync(clientKey + ".pub")).Trim();
    var authorizedKeys = Path.Combine(work, "authorized_keys");
    await File.WriteAllTextAsync(authorizedKeys, authorizedKey + "\n");

    await using var gateway = new SshServer(new SshServerOptions
    {
        ListenEndPoint = new IPEndPoint(IPAddress.Loopback, 0),
        HostKeyDirectory = Path.Combine(work, "gateway-hostkeys"),
    }, new ExecOnlyHooks(authorizedKey));
    await gateway.StartAsync();

    var sshdPort = FreePort();
    var sshdConfig = Path.Combine(work, "sshd_config");
    await File.WriteAllTextAsync(sshdConfig, $"""
        Port {sshdPort}
        ListenAddress 127.0.0.1
        HostKey {sshdHostKey}
        AuthorizedKeysFile {authorizedKeys}
        UsePAM no
        StrictModes no
        PidFile none
        PasswordAuthentication no
        KbdInteractiveAuthentication no
        PermitRootLogin prohibit-password
        Ciphers chacha20-poly1305@openssh.com,aes256-gcm@openssh.com,aes128-gcm@openssh.com,aes256-ctr,aes128-ctr
        MACs hmac-sha2-256-etm@openssh.com,hmac-sha2-512-etm@openssh.com

        """);
    if (Environment.UserName == "root") Directory.CreateDirectory("/run/sshd");
    using var sshd = Process.Start(new ProcessStartInfo("/usr/sbin/sshd", ["-D", "-e", "-f", sshdConfig, "-h", sshdHostKey]) { RedirectStandardError = true })!;
    _ = sshd.StandardError.ReadToEndAsync();
    await WaitForPortAsync(sshdPort);

    var user = Environment.UserName;
    var targets = new (string Name, int Port)[] { ("gateway", gateway.LocalEndPoint.Port), ("sshd", sshdPort) };
    string Ssh(int port, string options, string command) =>
        $"ssh -F /dev/null -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o BatchMode=yes -o LogLevel=ERROR -o IdentitiesOnly=yes -i {clientKey} -p {port} {options} {user}@127.0.0.1 '{command}'";

    if (kexOnly)
    {
        Console.WriteLine($"# {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC on {Environment.ProcessorCount} cores, load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]}");
        Console.WriteLine();
        await KeyExchangeCost.RunAsync(kexRuns, targets, user, clientKey, Time, Ssh);
        sshd.Kill();
        await sshd.WaitForExitAsync();
        return;
    }

    Console.WriteLine($"# {DateTime.UtcNow:yyyy-MM-dd} on {Environment.ProcessorCount} cores, {megabytes} MiB per transfer, median of {runs} runs");
    Console.WriteLine();
    Console.WriteLine("| cipher | direction | gateway MiB/s | sshd MiB/s | ratio |");
    Console.WriteLine("|---|---|---:|---:|---:|");
    var ciphers = new[]
    {
        ("chacha20-poly1305@openssh.com", ""),
        ("aes128-gcm@openssh.com", ""),
        ("aes256-gcm@openssh.com", ""),
        ("aes128-ctr", "hmac-sha2-256-etm@openssh.com"),
        ("aes256-ctr", "hmac-sha2-512-etm@openssh.com"),
    };
    foreach (var (cipher, mac) in ciphers.Where(c => c.Item1.Contains(cipherFilter)))
    {
        var options = $"-c {cipher}" + (mac.Length > 0 ? $" -m {mac}" : "");
        foreach (var direction in new[] { "download", "upload" })
        {
            var rates = new Dictionary<string, double>();
            foreach (var (name, port) in targets)
            {
                var command = direction == "download"
                    ? Ssh(port, options, $"head -c {megabytes}M /dev/zero") + " > /dev/null"
                    : $"head -c {megabytes}M /dev/zero | " + Ssh(port, options, "cat > /dev/null");
                var seconds = Median(await Repeat(runs, () => Time(command)));
                rates[name] = megabytes / seconds;
            }
            var label = mac.Length > 0 ? $"{cipher} + {mac}" : cipher;
            Console.WriteLine($"| {label} | {direction} | {rates["gateway"]:F0} | {rates["sshd"]:F0} | {rates["gateway"] / rates["sshd"]:F2}x |");
        }
    }

    Console.WriteLine();
    Console.WriteLine($"| connection setup (connect -> `true` exits), median of {setupRuns} | gateway ms | sshd ms | ratio |");
    Console.WriteLine("|---|---:|---:|---:|");
    var setup = new Dictionary<string, double>();
    foreach (var (name, port) in targets)
    {
        await Time(Ssh(port, "", "true"));
        setup[name] = Median(await Repeat(setupRuns, () => Time(Ssh(port, "", "true")))) * 1000;
    }
    Console.WriteLine($"| default algorithms (sntrup761x25519-sha512 with this client, ssh-ed25519 user key) | {setup["gateway"]:F1} | {setup["sshd"]:F1} | {setup["gateway"] / setup["sshd"]:F2}x |");
    Console.WriteLine();
    await KeyExchangeCost.RunAsync(setupRuns, targets, user, clientKey, Time, Ssh);

    sshd.Kill();
    await sshd.WaitForExitAsync();
}
finally
{
    Directory.Delete(work, true);
}

static async Task<List<double>> Repeat(int count, Func<Task<double>> measure)
{
    var results = new List<double>();
    for (var i = 0; i < count; i++) results.Add(await measure());
    return results;
}

static double Median(List<double> values)
{
    var sorted = values.Order().ToList();
    return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
}

static async Task<double> Time(string shellCommand)
{
    var clock = Stopwatch.StartNew();
    using var process = Process.Start(new ProcessStartInfo("/bin/sh", ["-c", shellCommand]) { RedirectStandardError = true })!;
    var error = process.StandardError.ReadToEndAsync();
    await process.WaitForExitAsync();
    var elapsed = clock.Elapsed.TotalSeconds;
    if (process.ExitCode != 0) throw new InvalidOperationException($"'{shellCommand}' failed: {await error}");
    return elapsed;
}

static async Task Run(string program, params string[] arguments)
{
    using var process = Process.Start(new ProcessStartInfo(program, arguments))!;
    await process.WaitForExitAsync();
    if (process.ExitCode != 0) throw new InvalidOperationException($"{program} failed");
}

static int FreePort()
{
    using var listener = new TcpListener(IPAddress.Loopback, 0);
    listener.Start();
    return ((IPEndPoint)listener.LocalEndpoint).Port;
}

static async Task WaitForPortAsync(int port)
{
    for (var i = 0; i < 100; i++)
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, port);
            return;
        }
        catch (SocketException)
        {
            await Task.Delay(50);
        }
    }
    throw new TimeoutException("sshd did not start");
}
