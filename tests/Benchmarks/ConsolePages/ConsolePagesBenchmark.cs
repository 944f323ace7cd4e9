using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Gatehouse.Audit.Storing;
using Gatehouse.Contracts;
using Gatehouse.TestSupport;
using Gatehouse.WebConsole;
using Gatehouse.WebConsole.SigningIn;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Gatehouse.Benchmarks.ConsolePages;

/// <summary>
/// Server time of the console's alerts, sessions and session pages over a large audit store: the real Audit service on
/// a loopback port, filled through its audit writer as the detection benchmark fills it (sessions of login, start, five
/// commands, end; one session in 50 runs <c>sudo -i</c>, so there are alerts), and the real console in front of it with
/// an analyst signed in through the sign-in form.
/// Run: dotnet run -c Release --project tests/Benchmarks/ConsolePages -- [stored events] [requests a page] [rounds]
/// </summary>
public static class ConsolePagesBenchmark
{
    public static async Task Main(string[] args)
    {
        var stored = args.Length > 0 ? int.Parse(args[0]) : 1_000_000;
        var requests = args.Length > 1 ? int.Parse(args[1]) : 200;
        var rounds = args.Length > 2 ? int.Parse(args[2]) : 3;

        var schema = Infrastructure.UniqueSchema("bench_console");
        try
        {
            await using var audit = new AuditOnPort(schema);
            var auditUrl = ListeningService.StartOnPort(audit);
            var sessions = await FillAsync(audit, stored);
            await WaitForProjectionsAsync(auditUrl, sessions[^1]);

            await using var console = new ConsoleInFront(auditUrl);
            using var browser = console.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
            await SignInAsync(browser);

            using var api = AuditOnPort.Analyst(auditUrl);
            var random = new Random(17);
            // Each page, then the Audit API calls it makes on its own: the difference is the console's part.
            var pages = new (string Name, Func<Task> Request)[]
            {
                ("alerts (open, newest 200)", () => GetPageAsync(browser, "/alerts")),
                ("sessions by user (200)", () => GetPageAsync(browser, $"/sessions?user=user{random.Next(2_000)}")),
                ("session page", () => GetPageAsync(browser, $"/sessions/{sessions[random.Next(sessions.Count)]:D}")),
                ("API alone: alerts", () => GetApiAsync(api, "api/audit/alerts?status=open&limit=200")),
                ("API alone: sessions by user", () => GetApiAsync(api, $"api/audit/sessions?user=user{random.Next(2_000)}&limit=200")),
                ("API alone: session and its file operations", async () =>
                {
                    var id = sessions[random.Next(sessions.Count)];
                    await GetApiAsync(api, $"api/audit/sessions/{id:D}");
                    await GetApiAsync(api, $"api/audit/events?correlationId={id:D}&type=SftpFileOperation&limit=1000");
                }),
            };
            var results = pages.ToDictionary(p => p.Name, _ => new List<(double P50, double P95, double P99)>());
            for (var round = 1; round <= rounds; round++)
            {
                // Pages interleaved by round, so a burst of load on the shared machine falls on all of them alike.
                foreach (var (name, request) in pages)
                {
                    var times = await TimeAsync(request, requests);
                    results[name].Add((Percentile(times, 0.50), Percentile(times, 0.95), Percentile(times, 0.99)));
                    Console.WriteLine($"round {round} {name}: p50 {Percentile(times, 0.50):N1} ms, p95 {Percentile(times, 0.95):N1} ms, p99 {Percentile(times, 0.99):N1} ms");
                }
            }

            Console.WriteLine($"over {stored:N0} stored events, {rounds} rounds of {requests} requests a page; median of the rounds (min–max):");
            foreach (var (name, rows) in results)
            {
                Console.WriteLine($"| {name} | {Spread(rows.Select(r => r.P50))} | {Spread(rows.Select(r => r.P95))} | {Spread(rows.Select(r => r.P99))} |");
            }
        }
        finally
        {
            await Infrastructure.DropSchemaAsync(schema);
        }
    }

    private static async Task<List<Guid>> FillAsync(AuditOnPort audit, int stored)
    {
        var writer = audit.Services.GetRequiredService<AuditWriter>();
        var fill = Stopwatch.StartNew();
        var start = DateTimeOffset.UtcNow.AddDays(-30);
        var sessions = new List<Guid>();
        var pending = new List<Task>();
        var written = 0;
        for (var n = 0; written < stored; n++)
        {
            var user = $"user{n % 2_000}";
            var target = $"host{n % 300}";
            var sessionId = Guid.NewGuid();
            sessions.Add(sessionId);
            var correlation = sessionId.ToString();
            var at = start.AddSeconds(n * 2);
            IAccessEvent[] events =
            [
                new LoginSucceeded(user, "publickey", null, user, $"10.1.{n % 7}.{n % 11 + 1}", correlation, Guid.CreateVersion7(), at),
                new SessionStarted(sessionId, user, target, target + ":22", "deploy", SessionKind.Shell, user, "10.1.0.1", correlation, Guid.CreateVersion7(), at,
                    new SshAlgorithms("mlkem768x25519-sha256", "chacha20-poly1305@openssh.com", "ssh-ed25519"),
                    new SshAlgorithms("curve25519-sha256", "aes256-gcm@openssh.com", "ssh-ed25519")),
                .. Enumerable.Range(1, 5).Select(i => (IAccessEvent)new CommandExecuted(sessionId, i, user, target, "deploy",
                    i == 3 && n % 50 == 0 ? "sudo -i" : $"systemctl status app{i}",
                    CommandCapture.InteractiveLine, user, "10.1.0.1", correlation, Guid.CreateVersion7(), at.AddSeconds(i))),
                new SessionEnded(sessionId, user, target, "deploy", at, 1000, 50_000, 0, SessionEndReason.ClientClosed, null, user, "10.1.0.1", correlation,
                    Guid.CreateVersion7(), at.AddSeconds(9)),
            ];
            pending.AddRange(events.Select(e => writer.RecordAsync(e, null, CancellationToken.None)));
            written += events.Length;
            if (pending.Count >= 4_000)
            {
                await Task.WhenAll(pending);
                pending.Clear();
            }

            if (written % 100_000 < events.Length)
            {
                Console.WriteLine($"  stored {written:N0} events ({written / fill.Elapsed.TotalSeconds:N0}/s)");
            }
        }

        await Task.WhenAll(pending);
        Console.WriteLine($"stored {written:N0} events in {fill.Elapsed.TotalSeconds:N0} s");
        return sessions;
    }

    /// <summary>The pages read the async daemon's views: measure once it has built the last session (bounded, the machine is shared).</summary>
    private static async Task WaitForProjectionsAsync(Uri auditUrl, Guid lastSession)
    {
        using var analyst = AuditOnPort.Analyst(auditUrl);
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromMinutes(60))
        {
            using var response = await analyst.GetAsync($"/api/audit/sessions/{lastSession:D}");
            if (response.IsSuccessStatusCode && (await response.Content.ReadFromJsonAsync<SessionEndedAt>())?.EndedAt is not null)
            {
                Console.WriteLine($"views built {clock.Elapsed.TotalSeconds:N0} s after the store was filled");
                return;
            }

            await Task.Delay(2_000);
        }

        throw new TimeoutException("The async daemon did not build the session views within 60 minutes");
    }

    private sealed record SessionEndedAt(DateTimeOffset? EndedAt);

    /// <summary>Through the sign-in form, antiforgery token and all, as a browser does.</summary>
    private static async Task SignInAsync(HttpClient browser)
    {
        var form = await browser.GetStringAsync("/sign-in");
        var token = Regex.Match(form, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value;
        using var response = await browser.PostAsync("/sign-in", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["UserName"] = BenchAnalyst, ["Password"] = "not checked here", ["__RequestVerificationToken"] = token,
        }));
        if (response.StatusCode != HttpStatusCode.Redirect)
        {
            throw new InvalidOperationException($"Sign-in answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }
    }

    private static async Task<List<double>> TimeAsync(Func<Task> request, int requests)
    {
        for (var i = 0; i < 20; i++)
        {
            await request();
        }

        var times = new List<double>(requests);
        for (var i = 0; i < requests; i++)
        {
            var watch = Stopwatch.StartNew();
            await request();
            times.Add(watch.Elapsed.TotalMilliseconds);
        }

        times.Sort();
        return times;
    }

    private static async Task GetApiAsync(HttpClient api, string path)
    {
        using var response = await api.GetAsync(path);
        response.EnsureSuccessStatusCode();
        await response.Content.ReadAsByteArrayAsync();
    }

    private static async Task GetPageAsync(HttpClient browser, string path)
    {
        using var response = await browser.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != HttpStatusCode.OK || body.Contains("class=\"error\"", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"{path} answered {(int)response.StatusCode}: {body[..Math.Min(body.Length, 2000)]}");
        }
    }

    private static double Percentile(List<double> sorted, double p) =>
        sorted.Count == 0 ? double.NaN : sorted[(int)Math.Min(sorted.Count - 1, Math.Ceiling(p * sorted.Count) - 1)];

    private static string Spread(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return $"{sorted[sorted.Count / 2]:N1} ms ({sorted[0]:N1}–{sorted[^1]:N1})";
    }

    private const string BenchAnalyst = "bench-analyst";

    /// <summary>The real Audit service on a loopback port (the console calls it over HTTP), accepting the tokens made here.</summary>
    private sealed class AuditOnPort(string schema) : ServiceFactory<Gatehouse.Audit.AuditTrail.AuditEntry>("audit", schema, new Dictionary<string, string?>
    {
        ["Gatehouse:Audit:Detection:Sigma:ShippedRules"] = "true",
        ["Gatehouse:Api:JwksUrl"] = "http://127.0.0.1:9/not-used",
        ["Gatehouse:Audit:Integrity:SigningKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
        ["Logging:LogLevel:Default"] = "Warning",
        ["Logging:LogLevel:Gatehouse.Audit.Detection.AlertDetector"] = "Error",
    })
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureTestServices(services => services.AcceptTokensSignedHere());
        }

        public static HttpClient Analyst(Uri url)
        {
            var client = new HttpClient { BaseAddress = url };
            client.DefaultRequestHeaders.Authorization = new("Bearer", TokensSignedHere.Token(BenchAnalyst, ["soc-analyst"], TimeSpan.FromHours(4)));
            return client;
        }
    }

    /// <summary>The console, its sign-in giving the analyst a token signed here (the Authentication service is not part of what is measured).</summary>
    private sealed class ConsoleInFront(Uri auditUrl) : WebApplicationFactory<ConsoleSettings>
    {
        protected override IHost CreateHost(IHostBuilder builder)
        {
            builder.UseContentRoot(Path.Combine(Infrastructure.RepositoryRoot, "services/Console"));
            return base.CreateHost(builder);
        }

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Testing");
            builder.ConfigureAppConfiguration(config => config.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Gatehouse:Console:AuthenticationUrl"] = "http://127.0.0.1:9/",
                ["Gatehouse:Console:AuthorizationUrl"] = "http://127.0.0.1:9/",
                ["Gatehouse:Console:SessionBrokerUrl"] = "http://127.0.0.1:9/",
                ["Gatehouse:Console:AuditUrl"] = auditUrl.ToString(),
                ["Logging:LogLevel:Default"] = "Warning",
            }));
            builder.ConfigureTestServices(services => services.AddSingleton<IPasswordSignIn, AnalystSignedHere>());
        }
    }

    private sealed class AnalystSignedHere : IPasswordSignIn
    {
        public Task<SignInAttempt> SignInAsync(string userName, string password, string? code, CancellationToken cancellationToken) =>
            Task.FromResult(SignInAttempt.Accepted(new SignedInPerson(BenchAnalyst, ["soc-analyst"],
                TokensSignedHere.Token(BenchAnalyst, ["soc-analyst"], TimeSpan.FromHours(4)), DateTimeOffset.UtcNow.AddHours(4))));
    }
}
