using System.Buffers.Binary;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using Gatehouse.Authentication.SignIn;
using Gatehouse.Contracts.Authentication;
using Gatehouse.TestSupport;
using Gatehouse.Vocabulary;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace Gatehouse.Authentication.Benchmarks;

/// <summary>
/// AuthenticatePublicKey over RabbitMQ, as the gateway sends it, at a fixed concurrency: the real service hosted in
/// this process against the real PostgreSQL and RabbitMQ, each request a full login (lookup, throttles, LoginSucceeded
/// appended). Usage: dotnet run -c Release -- [--requests 20000] [--concurrency 32]
/// </summary>
public static class PublicKeyLoginBenchmark
{
    public static async Task<int> Main(string[] args)
    {
        var requests = Argument(args, "--requests", 20_000);
        var concurrency = Argument(args, "--concurrency", 32);
        var schema = Infrastructure.UniqueSchema("authn_bench");
        var state = Directory.CreateTempSubdirectory("gatehouse-authn-bench-").FullName;
        // Outside a test host WebApplicationFactory does not find the service's content root by itself.
        Environment.SetEnvironmentVariable("ASPNETCORE_TEST_CONTENTROOT_GATEHOUSE_AUTHENTICATION",
            Path.Combine(Infrastructure.RepositoryRoot, "services", "Authentication"));
        await using var service = new ServiceFactory<Program>("authentication", schema, new Dictionary<string, string?>
        {
            ["Gatehouse:State"] = state,
            ["Gatehouse:Authentication:SecretsKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            ["Logging:LogLevel:Default"] = "Warning",
        });
        IBusControl? gateway = null;
        try
        {
            var (userName, key) = await SeedUserAsync(service.CreateClient(), state);
            gateway = await TestBus.StartAsync();
            var busClient = gateway.CreateRequestClient<AuthenticatePublicKey>(RequestTimeout.After(s: 10));
            var signIn = service.Services.GetRequiredService<SignInService>();
            // --direct calls the sign-in step in process, without RabbitMQ, to show what the bus adds.
            Func<AuthenticatePublicKey, Task<bool>> login = args.Contains("--direct")
                ? async request => (await signIn.PublicKeyAsync(request.UserName, OpenSshPublicKey.Parse(request.Algorithm, request.PublicKey).Key!, false,
                    request.SourceAddress, request.CorrelationId, CancellationToken.None)).Accepted
                : async request => (await busClient.GetResponse<PublicKeyAccepted, AuthenticationRefused>(request)).Message is PublicKeyAccepted;

            await RunAsync(login, userName, key, Math.Min(2_000, requests), concurrency);
            var cpuBefore = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime;
            var (latencies, refused, elapsed) = await RunAsync(login, userName, key, requests, concurrency);
            var cpu = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;

            Array.Sort(latencies);
            Console.WriteLine($"AuthenticatePublicKey {(args.Contains("--direct") ? "in process (no bus)" : "over the bus")}: {requests} requests, concurrency {concurrency}, {Environment.ProcessorCount} cores");
            Console.WriteLine($"  p50 {Percentile(latencies, 50):F2} ms  p90 {Percentile(latencies, 90):F2} ms  p99 {Percentile(latencies, 99):F2} ms  "
                              + $"p99.9 {Percentile(latencies, 99.9):F2} ms  max {latencies[^1]:F2} ms");
            Console.WriteLine($"  throughput {requests / elapsed.TotalSeconds:F0} logins/s, refused {refused}, "
                              + $"{cpu.TotalMilliseconds / requests:F2} ms CPU per login in this process (service + gateway client)");
            return refused == 0 ? 0 : 1;
        }
        finally
        {
            if (gateway is not null)
            {
                await gateway.StopAsync();
            }

            await service.DisposeAsync();
            await Infrastructure.DropSchemaAsync(schema);
            Directory.Delete(state, recursive: true);
        }
    }

    private static async Task<(double[] Latencies, int Refused, TimeSpan Elapsed)> RunAsync(
        Func<AuthenticatePublicKey, Task<bool>> login, string userName, byte[] key, int requests, int concurrency)
    {
        var latencies = new double[requests];
        var next = -1;
        var refused = 0;
        var total = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            for (var i = Interlocked.Increment(ref next); i < requests; i = Interlocked.Increment(ref next))
            {
                var started = Stopwatch.GetTimestamp();
                var accepted = await login(new AuthenticatePublicKey(
                    userName, "ssh-ed25519", Convert.ToBase64String(key), "192.0.2.50", Guid.NewGuid().ToString()));
                latencies[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                if (!accepted)
                {
                    Interlocked.Increment(ref refused);
                }
            }
        }));
        return (latencies, refused, total.Elapsed);
    }

    private static async Task<(string UserName, byte[] Key)> SeedUserAsync(HttpClient http, string state)
    {
        // The service writes its bootstrap secret in its own subfolder of the state folder.
        var token = await TokensFromAuthentication.BootstrapAdminAsync(http, Path.Combine(state, AuthenticationSettings.StateFolder),
            "bench-admin", "benchmark admin password");
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);

        var key = Ed25519Blob();
        (await http.PostAsJsonAsync("/api/users", new { userName = "bench-user" })).EnsureSuccessStatusCode();
        (await http.PostAsJsonAsync("/api/users/bench-user/keys", new { publicKey = "ssh-ed25519 " + Convert.ToBase64String(key) }))
            .EnsureSuccessStatusCode();
        return ("bench-user", key);
    }

    private static byte[] Ed25519Blob()
    {
        byte[] type = Encoding.ASCII.GetBytes("ssh-ed25519"), point = RandomNumberGenerator.GetBytes(32);
        var blob = new byte[4 + type.Length + 4 + point.Length];
        BinaryPrimitives.WriteInt32BigEndian(blob, type.Length);
        type.CopyTo(blob, 4);
        BinaryPrimitives.WriteInt32BigEndian(blob.AsSpan(4 + type.Length), point.Length);
        point.CopyTo(blob, 8 + type.Length);
        return blob;
    }

    private static double Percentile(double[] sorted, double percentile) =>
        sorted[Math.Clamp((int)Math.Ceiling(percentile / 100 * sorted.Length) - 1, 0, sorted.Length - 1)];

    private static int Argument(string[] args, string name, int fallback)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length && int.TryParse(args[index + 1], out var value) ? value : fallback;
    }
}
