using System.Collections.Concurrent;
using System.Diagnostics;
using Gatehouse.Audit.Detection.Sigma;
using Gatehouse.Audit.Storing;
using Gatehouse.Benchmarks.Detection;
using Gatehouse.Contracts;
using Gatehouse.Contracts.Alerts;
using Gatehouse.TestSupport;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

// Detection benchmark.
// 1. Alert latency: a producing service appends a background load of access events at a fixed rate; once a second
//    it appends one destructive command for a fresh user. Latency = AlertRaised received on the bus − that append.
// 2. Query latency: the audit store is filled with sessions (login, start, commands, end), then user timelines and
//    session searches are timed through the HTTP API (each read is itself audited, so that write is included).
// 0. With Sigma rules: the rules' cost per event in process, built-in alone against built-in + the Sigma rules; the Audit
//    service then runs with those rules loaded (without them, with no Sigma rule at all).
// Run: dotnet run -c Release --project tests/Benchmarks/Detection -- [background/s] [seconds] [stored events] [queries] [Sigma rules] [cold]
//      dotnet run -c Release --project tests/Benchmarks/Detection -- rules [events] [runs]   (the rules alone, no infrastructure)
if (args is ["rules", ..])
{
    RuleCost.Run(args.Length > 1 ? int.Parse(args[1]) : 200_000, args.Length > 2 ? int.Parse(args[2]) : 5);
    return;
}

// The producer's host logs each forwarded page at Information: on a loaded machine writing that to the console slowed
// the producer itself. The services here log warnings and errors only.
Environment.SetEnvironmentVariable("Logging__LogLevel__Default", "Warning");

var rate = args.Length > 0 ? int.Parse(args[0]) : 1_000;
var seconds = args.Length > 1 ? int.Parse(args[1]) : 60;
var stored = args.Length > 2 ? int.Parse(args[2]) : 1_000_000;
var queries = args.Length > 3 ? int.Parse(args[3]) : 500;
var sigmaRules = args.Length > 4 ? int.Parse(args[4]) : 0;
// "cold": measure from the first event, while the rules still meet every user and source for the first time.
var cold = args.Length > 5 && args[5] == "cold";
var sigmaFolder = sigmaRules > 0 ? GeneratedSigmaRules.WriteFolder(sigmaRules) : null;
if (sigmaFolder is not null)
{
    RuleCost.Run(20_000, 9, SigmaRuleSet.Load([sigmaFolder, Path.Combine(AppContext.BaseDirectory, SigmaSettings.ShippedFolder)]));
}

var auditSchema = Infrastructure.UniqueSchema("bench_detect");
var producerSchema = Infrastructure.UniqueSchema("bench_producer");
await using var audit = new BenchmarkAudit(auditSchema, sigmaFolder);
audit.CreateClient().Dispose();
await using var producer = await ProducingService.StartAsync(producerSchema);

var appended = new ConcurrentDictionary<string, long>();
var latencies = new ConcurrentBag<double>();
var listener = await TestBus.StartAsync(endpoint => endpoint.Handler<AlertRaised>(context =>
{
    if (context.Message.UserName is { } user && appended.TryRemove(user, out var at))
    {
        latencies.Add(Stopwatch.GetElapsedTime(at).TotalMilliseconds);
    }

    return Task.CompletedTask;
}));

Console.WriteLine($"machine: {Environment.ProcessorCount} cores, load average {File.ReadAllText("/proc/loadavg")[..14]}; background {rate:N0} events/s for {seconds} s; " +
                  $"{stored:N0} stored events; {queries} queries each; {audit.Services.GetRequiredService<SigmaRuleSet>().Rules.Count} Sigma rules loaded");
if (!cold)
{
    await WarmUpAsync();
}

await MeasureAlertLatencyAsync();
await listener.StopAsync();
if (stored > 0 && queries > 0)
{
    await MeasureQueryLatencyAsync();
}

Console.WriteLine($"load average at the end {File.ReadAllText("/proc/loadavg")[..14]}");
// Stopped first: their daemons would otherwise log errors polling the dropped tables.
await producer.DisposeAsync();
await audit.DisposeAsync();
await Infrastructure.DropSchemaAsync(auditSchema);
await Infrastructure.DropSchemaAsync(producerSchema);
return;

// A bastion's rules have met its users and their usual sources long before: every user signs in once from each source
// the background uses (4,000 events at the rate; at night each user is also outside business hours once), and the
// measurement starts when an alert on a trigger sent after them arrives, so the pipeline has worked through them.
async Task WarmUpAsync()
{
    var clock = Stopwatch.StartNew();
    var correlation = Guid.NewGuid().ToString();
    var logins = (from user in Enumerable.Range(0, 500) from network in Enumerable.Range(0, 4) from host in Enumerable.Range(1, 2)
        select (IAccessEvent)new LoginSucceeded($"user{user}", "publickey", null, $"user{user}", $"10.0.{network}.{host}", correlation,
            Guid.CreateVersion7(), DateTimeOffset.UtcNow)).ToList();
    for (var sent = 0; sent < logins.Count; sent += 50)
    {
        var due = TimeSpan.FromSeconds((double)sent / rate);
        if (due > clock.Elapsed)
        {
            await Task.Delay(due - clock.Elapsed);
        }

        await producer.AppendAsync(logins.Skip(sent).Take(50).ToList());
    }

    var suspect = $"warm-{Guid.NewGuid():N}"[..20];
    await producer.AppendAsync([new CommandExecuted(Guid.NewGuid(), 1, suspect, "web01", "root", "history -c", CommandCapture.Exec, suspect,
        "10.0.0.1", correlation, Guid.CreateVersion7(), DateTimeOffset.UtcNow)]);
    appended[suspect] = Stopwatch.GetTimestamp();
    while (appended.ContainsKey(suspect) && clock.Elapsed < TimeSpan.FromMinutes(3))
    {
        await Task.Delay(50);
    }

    latencies.Clear();
    Console.WriteLine($"warm-up: {logins.Count:N0} logins, the rules caught up {clock.Elapsed.TotalSeconds:N1} s after the first");
}

async Task MeasureAlertLatencyAsync()
{
    var clock = Stopwatch.StartNew();
    var sent = 0;
    var triggers = 0;
    const int batch = 50;
    var random = new Random(7);
    while (clock.Elapsed < TimeSpan.FromSeconds(seconds))
    {
        var due = TimeSpan.FromSeconds((double)sent / rate);
        if (due > clock.Elapsed)
        {
            await Task.Delay(due - clock.Elapsed);
        }

        var now = DateTimeOffset.UtcNow;
        var correlation = Guid.NewGuid().ToString();
        var events = Enumerable.Range(0, batch).Select(i =>
        {
            var user = $"user{random.Next(500)}";
            var source = $"10.0.{random.Next(4)}.{random.Next(1, 3)}";
            // One in five is a command of ordinary work, so the command rules (built-in and Sigma) have something to judge.
            return i % 5 == 4
                ? RuleCost.OrdinaryCommand(random, user, source, now) with { CorrelationId = correlation }
                : (IAccessEvent)new LoginSucceeded(user, "publickey", null, user, source, correlation, Guid.CreateVersion7(), now);
        }).ToList();
        // Once a second of the run, whatever rate the producer manages.
        if (clock.Elapsed.TotalSeconds >= triggers + 1)
        {
            var suspect = $"suspect-{Guid.NewGuid():N}"[..20];
            var sessionId = Guid.NewGuid();
            events.Add(new CommandExecuted(sessionId, 1, suspect, "web01", "root", "history -c", CommandCapture.Exec, suspect, "10.0.0.1",
                correlation, Guid.CreateVersion7(), now));
            await producer.AppendAsync(events);
            // From the commit: no alert can be raised on an event before its transaction is stored.
            appended[suspect] = Stopwatch.GetTimestamp();
            triggers++;
        }
        else
        {
            await producer.AppendAsync(events);
        }

        sent += batch;
    }

    // The rate achieved while loading, not counting the wait for the last alerts below.
    var loaded = clock.Elapsed;
    var deadline = Stopwatch.StartNew();
    while (latencies.Count < triggers && deadline.Elapsed < TimeSpan.FromSeconds(90))
    {
        await Task.Delay(100);
    }

    var sorted = latencies.Order().ToList();
    Console.WriteLine($"alert latency: {sent:N0} background events at {sent / loaded.TotalSeconds:N0}/s, {triggers} alerts expected, {sorted.Count} received; " +
                      $"p50 {Percentile(sorted, 0.50):N0} ms, p99 {Percentile(sorted, 0.99):N0} ms, max {sorted.LastOrDefault():N0} ms");
}

async Task MeasureQueryLatencyAsync()
{
    var writer = audit.Services.GetRequiredService<AuditWriter>();
    var fill = Stopwatch.StartNew();
    var start = DateTimeOffset.UtcNow.AddDays(-30);
    var written = 0;
    var sessionNumber = 0;
    var pending = new List<Task>();
    while (written < stored)
    {
        var n = sessionNumber++;
        var user = $"user{n % 2_000}";
        var target = $"host{n % 300}";
        var sessionId = Guid.NewGuid();
        var correlation = sessionId.ToString();
        var at = start.AddSeconds(n * 2);
        IAccessEvent[] events =
        [
            new LoginSucceeded(user, "publickey", null, user, $"10.1.{n % 7}.{n % 11 + 1}", correlation, Guid.CreateVersion7(), at),
            new SessionStarted(sessionId, user, target, target + ":22", "deploy", SessionKind.Shell, user, "10.1.0.1", correlation, Guid.CreateVersion7(), at),
            .. Enumerable.Range(1, 5).Select(i => (IAccessEvent)new CommandExecuted(sessionId, i, user, target, "deploy", $"systemctl status app{i}",
                CommandCapture.InteractiveLine, user, "10.1.0.1", correlation, Guid.CreateVersion7(), at.AddSeconds(i))),
            new SessionEnded(sessionId, user, target, "deploy", at, 1000, 50_000, 0, SessionEndReason.ClientClosed, null, user, "10.1.0.1", correlation, Guid.CreateVersion7(), at.AddSeconds(9)),
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

    using var client = audit.Analyst();
    var random = new Random(11);
    await TimeAsync("user timeline (last 100 events)", () => client.GetAsync($"/api/audit/users/user{random.Next(2_000)}/timeline?limit=100"));
    await TimeAsync("session search by user (50)", () => client.GetAsync($"/api/audit/sessions?user=user{random.Next(2_000)}&limit=50"));
    await TimeAsync("session search by target (50)", () => client.GetAsync($"/api/audit/sessions?target=host{random.Next(300)}&limit=50"));
    await TimeAsync("events by actor and type (100)", () => client.GetAsync($"/api/audit/events?actor=user{random.Next(2_000)}&type=CommandExecuted&limit=100"));
}

async Task TimeAsync(string name, Func<Task<HttpResponseMessage>> query)
{
    for (var i = 0; i < 20; i++)
    {
        (await query()).EnsureSuccessStatusCode();
    }

    var times = new List<double>(queries);
    for (var i = 0; i < queries; i++)
    {
        var watch = Stopwatch.StartNew();
        using var response = await query();
        response.EnsureSuccessStatusCode();
        await response.Content.ReadAsByteArrayAsync();
        times.Add(watch.Elapsed.TotalMilliseconds);
    }

    times.Sort();
    Console.WriteLine($"{name}: p50 {Percentile(times, 0.50):N1} ms, p95 {Percentile(times, 0.95):N1} ms, p99 {Percentile(times, 0.99):N1} ms");
}

static double Percentile(List<double> sorted, double p) =>
    sorted.Count == 0 ? double.NaN : sorted[(int)Math.Min(sorted.Count - 1, Math.Ceiling(p * sorted.Count) - 1)];
