using System.Diagnostics;
using Gatehouse.Ssh.KeyExchange;
using Renci.SshNet;

namespace Gatehouse.Ssh.Benchmarks;

/// <summary>
/// Handshake cost per key exchange method, the gateway against sshd: the same OpenSSH 9.2 client forced to each method
/// (it has no ML-KEM, and neither has sshd 9.2), the same SSH.NET client (which has all three) connecting and signing
/// in, and the server's own computation for one exchange (<see cref="KeyAgreement.Agree"/> alone).
/// </summary>
internal static class KeyExchangeCost
{
    public static readonly string[] Methods = [KeyAgreement.Curve25519, KeyAgreement.Sntrup761X25519OpenSsh, KeyAgreement.MlKem768X25519];

    /// <summary>Methods this machine's sshd (OpenSSH 9.2) and ssh client know.</summary>
    public static bool OpenSshHas(string method) => method != KeyAgreement.MlKem768X25519;

    public static async Task RunAsync(int runs, (string Name, int Port)[] servers, string user, string clientKey,
        Func<string, Task<double>> timeSsh, Func<int, string, string, string> ssh)
    {
        Console.WriteLine($"| key exchange, median [p25-p75] of {runs} | client | gateway ms | sshd ms | ratio |");
        Console.WriteLine("|---|---|---:|---:|---:|");
        var key = new PrivateKeyFile(clientKey);
        foreach (var method in Methods)
        {
            if (OpenSshHas(method))
            {
                var open = new Dictionary<string, List<double>>();
                foreach (var (name, port) in servers)
                {
                    var command = ssh(port, $"-o KexAlgorithms={method}", "true");
                    await timeSsh(command);
                    open[name] = Scale(await Repeat(runs, () => timeSsh(command)), 1000);
                }
                Row(method, "ssh ... true (process start to exit)", open["gateway"], open.GetValueOrDefault("sshd"));
            }

            var net = new Dictionary<string, List<double>>();
            foreach (var (name, port) in servers.Where(s => s.Name == "gateway" || OpenSshHas(method)))
            {
                await ConnectAsync(port, user, key, method);
                net[name] = await Repeat(runs, () => ConnectAsync(port, user, key, method));
            }
            Row(method, "SSH.NET connect + sign in", net["gateway"], net.GetValueOrDefault("sshd"));
        }

        Console.WriteLine();
        ServerComputation(runs * 4);
    }

    /// <summary>
    /// The gateway's own work for one exchange (<see cref="KeyAgreement.Agree"/>), wall time and CPU time: what an
    /// unauthenticated client makes the gateway spend per key exchange (issue #19, the pre-authentication rate).
    /// CPU is the whole process's over the runs, one thread working, so it includes the little the GC adds.
    /// </summary>
    public static void ServerComputation(int runs)
    {
        Console.WriteLine($"| server computation of one exchange (KeyAgreement.Agree), {runs} runs | wall ms, median [p25-p75] | CPU ms per exchange |");
        Console.WriteLine("|---|---:|---:|");
        foreach (var method in Methods)
        {
            var init = ClientInit(method);
            for (var i = 0; i < 3; i++) KeyAgreement.Create(method).Agree(init);
            var times = new List<double>();
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            for (var i = 0; i < runs; i++)
            {
                var clock = Stopwatch.StartNew();
                KeyAgreement.Create(method).Agree(init);
                times.Add(clock.Elapsed.TotalMilliseconds);
            }
            var cpuPerExchange = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds / runs;
            Console.WriteLine($"| {method} | {Spread(times, "F2")} | {cpuPerExchange:F2} |");
        }
    }

    /// <summary>A valid client value for the method, generated with SSH.NET's own BouncyCastle.</summary>
    private static byte[] ClientInit(string method)
    {
        var random = new Org.BouncyCastle.Security.SecureRandom();
        var x25519 = new byte[32];
        var scalar = new byte[32];
        Org.BouncyCastle.Math.EC.Rfc7748.X25519.GeneratePrivateKey(random, scalar);
        Org.BouncyCastle.Math.EC.Rfc7748.X25519.GeneratePublicKey(scalar, 0, x25519, 0);
        if (method == KeyAgreement.MlKem768X25519)
        {
            var generator = new Org.BouncyCastle.Crypto.Generators.MLKemKeyPairGenerator();
            generator.Init(new Org.BouncyCastle.Crypto.Parameters.MLKemKeyGenerationParameters(random,
                Org.BouncyCastle.Crypto.Parameters.MLKemParameters.ml_kem_768));
            return [.. ((Org.BouncyCastle.Crypto.Parameters.MLKemPublicKeyParameters)generator.GenerateKeyPair().Public).GetEncoded(), .. x25519];
        }
        if (method == KeyAgreement.Sntrup761X25519OpenSsh)
        {
            var generator = new Org.BouncyCastle.Pqc.Crypto.NtruPrime.SNtruPrimeKeyPairGenerator();
            generator.Init(new Org.BouncyCastle.Pqc.Crypto.NtruPrime.SNtruPrimeKeyGenerationParameters(random,
                Org.BouncyCastle.Pqc.Crypto.NtruPrime.SNtruPrimeParameters.sntrup761));
            return [.. ((Org.BouncyCastle.Pqc.Crypto.NtruPrime.SNtruPrimePublicKeyParameters)generator.GenerateKeyPair().Public).GetEncoded(), .. x25519];
        }
        return x25519;
    }

    private static async Task<double> ConnectAsync(int port, string user, PrivateKeyFile key, string method)
    {
        var info = new ConnectionInfo("127.0.0.1", port, user, new PrivateKeyAuthenticationMethod(user, key));
        foreach (var other in info.KeyExchangeAlgorithms.Keys.Where(name => name != method).ToList())
        {
            info.KeyExchangeAlgorithms.Remove(other);
        }
        using var client = new SshClient(info);
        var clock = Stopwatch.StartNew();
        await client.ConnectAsync(CancellationToken.None);
        var elapsed = clock.Elapsed.TotalMilliseconds;
        client.Disconnect();
        return elapsed;
    }

    private static void Row(string method, string client, List<double> gateway, List<double>? sshd) =>
        Console.WriteLine($"| {method} | {client} | {Spread(gateway, "F1")} | {(sshd is null ? "n/a (OpenSSH 9.2)" : Spread(sshd, "F1"))} | "
            + $"{(sshd is null ? "" : $"{Percentile(gateway, 50) / Percentile(sshd, 50):F2}x")} |");

    private static List<double> Scale(List<double> values, double factor) => values.Select(v => v * factor).ToList();

    private static async Task<List<double>> Repeat(int count, Func<Task<double>> measure)
    {
        var results = new List<double>();
        for (var i = 0; i < count; i++) results.Add(await measure());
        return results;
    }

    private static string Spread(List<double> values, string format) =>
        $"{Percentile(values, 50).ToString(format)} [{Percentile(values, 25).ToString(format)}-{Percentile(values, 75).ToString(format)}]";

    private static double Percentile(List<double> values, double percent)
    {
        var sorted = values.Order().ToList();
        var rank = percent / 100 * (sorted.Count - 1);
        var low = (int)Math.Floor(rank);
        var high = (int)Math.Ceiling(rank);
        return sorted[low] + (sorted[high] - sorted[low]) * (rank - low);
    }
}
