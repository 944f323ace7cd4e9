using System.Diagnostics;
using Gatehouse.Contracts;
using Gatehouse.TestSupport;
using Npgsql;

// Event pipeline benchmark: access events appended in a producing service → forwarded over RabbitMQ →
// recorded in the Audit service's store. Latency per event is the time it was recorded minus the time it
// was appended. Run: dotnet run -c Release --project tests/Benchmarks/EventPipeline -- [events] [rate/s] [runs]
var total = args.Length > 0 ? int.Parse(args[0]) : 50_000;
var paced = args.Length > 1 ? int.Parse(args[1]) : 2_000;
var runs = args.Length > 2 ? int.Parse(args[2]) : 3;

var auditSchema = Infrastructure.UniqueSchema("bench_audit");
var producerSchema = Infrastructure.UniqueSchema("bench_producer");
await using var audit = new ServiceFactory<Gatehouse.Audit.AuditTrail.AuditEntry>("audit", auditSchema, new Dictionary<string, string?>
{
    // A throwaway key: this run's digests are dropped with its schema.
    ["Gatehouse:Audit:Integrity:SigningKey"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)),
});
audit.CreateClient().Dispose();
await using var producer = await ProducingService.StartAsync(producerSchema);

Console.WriteLine($"events per run: {total:N0}; runs: {runs}; machine: {Environment.ProcessorCount} cores");
// The first runs also pay for JIT compilation (tiered, with dynamic PGO: it takes a while), statement
// preparation on each pooled connection and cold caches: one full-size run of each mode is shown but not counted.
await MeasureAsync("warm-up, not counted: as fast as possible", total, ratePerSecond: null);
await MeasureAsync($"warm-up, not counted: paced at {paced:N0}/s", total, paced);
var results = new List<(string Mode, double Rate, double P50, double P99)>();
for (var run = 1; run <= runs; run++)
{
    results.Add(await MeasureAsync("as fast as possible", total, ratePerSecond: null));
    results.Add(await MeasureAsync($"paced at {paced:N0}/s", total, paced));
}

Console.WriteLine();
Console.WriteLine("| mode | events/s (median) | p50 latency ms (median) | p99 latency ms (median) |");
Console.WriteLine("|---|---|---|---|");
foreach (var mode in results.GroupBy(r => r.Mode))
{
    Console.WriteLine($"| {mode.Key} | {Median(mode.Select(r => r.Rate)):N0} | {Median(mode.Select(r => r.P50)):N1} | {Median(mode.Select(r => r.P99)):N1} |");
}

// Stopped first: their daemons would otherwise log errors polling the dropped tables.
await producer.DisposeAsync();
await audit.DisposeAsync();
await Infrastructure.DropSchemaAsync(auditSchema);
await Infrastructure.DropSchemaAsync(producerSchema);
return;

async Task<(string, double, double, double)> MeasureAsync(string mode, int count, int? ratePerSecond)
{
    var correlationId = Guid.NewGuid();
    const int batch = 100;
    var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
    var machineBefore = MachineBusyTime();
    var clock = Stopwatch.StartNew();
    for (var sent = 0; sent < count; sent += batch)
    {
        if (ratePerSecond is { } rate)
        {
            var due = TimeSpan.FromSeconds((double)sent / rate);
            if (due > clock.Elapsed)
            {
                await Task.Delay(due - clock.Elapsed);
            }
        }

        // Each transaction is one session's 100 commands, as a busy gateway would append them.
        var now = DateTimeOffset.UtcNow;
        var sessionId = Guid.NewGuid();
        await producer.AppendAsync(Enumerable.Range(sent, Math.Min(batch, count - sent)).Select(i =>
            (IAccessEvent)new CommandExecuted(sessionId, i - sent + 1, "bench", "web01", "deploy", "ls -l", CommandCapture.Exec,
                "bench", "127.0.0.1", correlationId.ToString(), Guid.CreateVersion7(), now)));
    }

    var appendSeconds = clock.Elapsed.TotalSeconds;
    var (latencies, storingSeconds) = await WaitForAllAsync(correlationId.ToString(), count);
    // CPU is steadier than wall time on a shared machine: it shows what each event costs the two services.
    var cpuPerEvent = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalMicroseconds / count;
    // PostgreSQL and RabbitMQ share the same cores: the whole machine's CPU per event is what bounds capacity.
    var machinePerEvent = (MachineBusyTime() - machineBefore).TotalMicroseconds / count;
    latencies.Sort();
    // The rate the audit store took the events in, from the first stored to the last: the pipeline's sustained
    // throughput. (Counting from the first append would also count one event's latency, once.)
    var result = (mode, count / storingSeconds, Percentile(latencies, 0.50), Percentile(latencies, 0.99));
    Console.WriteLine($"{mode}: stored {result.Item2:N0} events/s (appended {count / appendSeconds:N0}/s), p50 {result.Item3:N1} ms, " +
                      $"p99 {result.Item4:N1} ms, CPU per event: {cpuPerEvent:N0} µs in the producer and Audit service, {machinePerEvent:N0} µs machine-wide");
    return result;
}

async Task<(List<double> Latencies, double StoringSeconds)> WaitForAllAsync(string correlationId, int count)
{
    await using var connection = new NpgsqlConnection(
        Infrastructure.ServiceConfiguration("audit", auditSchema)["ConnectionStrings:Postgres"] + ";Password=" + Infrastructure.Password("audit"));
    await connection.OpenAsync();
    var deadline = Stopwatch.StartNew();
    while (deadline.Elapsed < TimeSpan.FromMinutes(10))
    {
        await using var countCommand = new NpgsqlCommand(
            $"select count(*) from {auditSchema}.mt_doc_auditentry where correlation_id = @c", connection);
        countCommand.Parameters.AddWithValue("c", correlationId);
        if ((long)(await countCommand.ExecuteScalarAsync())! >= count)
        {
            break;
        }

        await Task.Delay(100);
    }

    // Recorded time is the audit store's commit timestamp; occurred time is when the producer created the event.
    await using var query = new NpgsqlCommand(
        $"select extract(epoch from ((data->>'RecordedAt')::timestamptz - occurred_at)) * 1000 from {auditSchema}.mt_doc_auditentry where correlation_id = @c",
        connection);
    query.Parameters.AddWithValue("c", correlationId);
    var latencies = new List<double>(count);
    await using var reader = await query.ExecuteReaderAsync();
    while (await reader.ReadAsync())
    {
        latencies.Add(Convert.ToDouble(reader.GetValue(0)));
    }

    if (latencies.Count < count)
    {
        throw new InvalidOperationException($"Only {latencies.Count} of {count} events reached the audit store within 10 minutes");
    }

    await reader.CloseAsync();
    await using var span = new NpgsqlCommand(
        $"select extract(epoch from max((data->>'RecordedAt')::timestamptz) - min((data->>'RecordedAt')::timestamptz)) from {auditSchema}.mt_doc_auditentry where correlation_id = @c",
        connection);
    span.Parameters.AddWithValue("c", correlationId);
    return (latencies, Convert.ToDouble(await span.ExecuteScalarAsync()));
}

// Time all cores spent busy since boot (user, nice, system, irq, softirq), from /proc/stat's clock ticks (1/100 s).
static TimeSpan MachineBusyTime()
{
    var ticks = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries)[1..8]
        .Where((_, i) => i is not 3 and not 4).Sum(long.Parse);
    return TimeSpan.FromMilliseconds(ticks * 10);
}

static double Percentile(List<double> sorted, double p) => sorted[(int)Math.Min(sorted.Count - 1, Math.Ceiling(p * sorted.Count) - 1)];

static double Median(IEnumerable<double> values)
{
    var sorted = values.Order().ToList();
    return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
}
