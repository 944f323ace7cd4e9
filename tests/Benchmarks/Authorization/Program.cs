using System.Diagnostics;
using Gatehouse.Authorization;
using Gatehouse.Authorization.Decisions;
using Gatehouse.Authorization.Decisions.CheckingAccess;
using Gatehouse.Contracts;
using Gatehouse.Contracts.Authorization;
using Gatehouse.ServiceDefaults.EventStore;
using Gatehouse.TestSupport;
using Marten;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

// CheckAccess latency with 5,000 targets and 10,000 grants, measured three ways on the real service against the real
// PostgreSQL and RabbitMQ: the pure decision on the in-memory index; the full decision as the consumer makes it (index,
// re-read of the allowing grant, decision event appended); and the gateway's view, a request/response over RabbitMQ.
// Run: dotnet run -c Release --project tests/Benchmarks/Authorization -- [requests] [runs]
var requests = args.Length > 0 ? int.Parse(args[0]) : 5_000;
var runs = args.Length > 1 ? int.Parse(args[1]) : 3;
const int TargetCount = 5_000, GrantCount = 10_000, UserCount = 2_000, RoleCount = 50, TeamCount = 100;

var schema = Infrastructure.UniqueSchema("bench_authz");
await using var service = new ServiceFactory<AuthorizationSettings>("authorization", schema, new Dictionary<string, string?>
{
    ["Gatehouse:Api:JwksUrl"] = "http://127.0.0.1:9/not-used",
});
service.CreateClient().Dispose();
var random = new Random(42);
var now = DateTimeOffset.UtcNow;
string[] envs = ["prod", "staging", "dev"];
string[] logins = ["root", "deploy", "app"];

var seeding = Stopwatch.StartNew();
await SeedAsync();
// Catch-ups re-read what changed in the last few seconds; measure the steady state, not the seconds after a bulk import.
await Task.Delay(TimeSpan.FromSeconds(6));
var cache = service.Services.GetRequiredService<AccessIndexCache>();
await cache.RefreshAsync(CancellationToken.None);
Console.WriteLine($"seeded {cache.Current.TargetCount:N0} targets and {cache.Current.GrantCount:N0} grants in {seeding.Elapsed.TotalSeconds:N1} s; "
    + $"{requests:N0} requests per run, {runs} runs, {Environment.ProcessorCount} cores");

var questions = Enumerable.Range(0, requests).Select(_ => Question()).ToArray();
var results = new List<(string Mode, double P50, double P99, double Allowed)>();
for (var run = 1; run <= runs; run++)
{
    results.Add(Measure("pure decision on the in-memory index", q =>
    {
        var verdict = AccessDecider.Decide(q, cache.Current, DateTimeOffset.UtcNow);
        return Task.FromResult(verdict is AccessAllowedBy);
    }));
    results.Add(await MeasureAsync("decision + grant re-read + event appended", async q =>
    {
        await using var scope = service.Services.CreateAsyncScope();
        var (_, verdict) = await scope.ServiceProvider.GetRequiredService<AccessDecisions>().DecideAsync(q, CancellationToken.None);
        return verdict is AccessAllowedBy;
    }));
    var client = service.Services.GetRequiredService<IBus>().CreateRequestClient<CheckAccess>(RequestTimeout.After(s: 10));
    results.Add(await MeasureAsync("CheckAccess request/response over RabbitMQ", async q =>
    {
        var response = await client.GetResponse<AccessAllowed, AccessRefused>(q);
        return response.Is<AccessAllowed>(out _);
    }));
}

Console.WriteLine();
Console.WriteLine("| mode | p50 ms (median of runs) | p99 ms (median of runs) | allowed |");
Console.WriteLine("|---|---|---|---|");
foreach (var mode in results.GroupBy(r => r.Mode))
{
    Console.WriteLine($"| {mode.Key} | {Median(mode.Select(r => r.P50)):N3} | {Median(mode.Select(r => r.P99)):N3} | {mode.First().Allowed:P0} |");
}

await service.DisposeAsync();
await Infrastructure.DropSchemaAsync(schema);
return;

(string, double, double, double) Measure(string mode, Func<CheckAccess, Task<bool>> decide) => MeasureAsync(mode, decide).GetAwaiter().GetResult();

async Task<(string, double, double, double)> MeasureAsync(string mode, Func<CheckAccess, Task<bool>> decide)
{
    foreach (var question in questions.Take(Math.Min(500, requests)))
    {
        await decide(question);
    }

    var latencies = new double[questions.Length];
    var allowed = 0;
    for (var i = 0; i < questions.Length; i++)
    {
        var started = Stopwatch.GetTimestamp();
        allowed += await decide(questions[i]) ? 1 : 0;
        latencies[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
    }

    Array.Sort(latencies);
    var result = (mode, latencies[latencies.Length / 2], latencies[(int)(latencies.Length * 0.99)], (double)allowed / questions.Length);
    Console.WriteLine($"{mode}: p50 {result.Item2:N3} ms, p99 {result.Item3:N3} ms, max {latencies[^1]:N1} ms");
    return result;
}

// Users are members of two access roles each (see AccessRolesOf) and carry the API role user; most grants name a user and
// a target, a third pick targets by label for an access role, and some carry time windows, source networks or an expiry,
// so the decision does its full work.
CheckAccess Question()
{
    var user = $"user{random.Next(UserCount)}";
    var source = random.Next(2) == 0 ? $"10.{random.Next(4)}.{random.Next(256)}.{random.Next(256)}" : $"2001:db8:{random.Next(4):x}::{random.Next(65535):x}";
    return new CheckAccess(user, ["user"], $"host{random.Next(TargetCount)}", logins[random.Next(logins.Length)], source, true, Guid.NewGuid().ToString());
}

async Task SeedAsync()
{
    var store = service.Services.GetRequiredService<IDocumentStore>();
    for (var first = 0; first < TargetCount; first += 500)
    {
        await using var session = store.LightweightSession();
        for (var i = first; i < Math.Min(first + 500, TargetCount); i++)
        {
            var labels = new Dictionary<string, string> { ["env"] = envs[i % envs.Length], ["team"] = $"team{i % TeamCount}" };
            var registered = new TargetRegistered(Guid.NewGuid(), $"host{i}", $"10.100.{i / 256}.{i % 256}", 22, labels, logins, null,
                "bench", null, "seed", Guid.NewGuid(), now);
            session.StartStreamWithAccessEvent(registered.TargetId, registered);
        }

        await session.SaveChangesAsync();
    }

    await using (var session = store.LightweightSession())
    {
        for (var r = 0; r < RoleCount; r++)
        {
            var defined = new RoleDefined(Guid.NewGuid(), $"role{r}", "bench", "bench", null, "seed", Guid.NewGuid(), now);
            session.StartStreamWithAccessEvent(defined.RoleId, defined);
            for (var u = 0; u < UserCount; u++)
            {
                if (AccessRolesOf(u).Contains(r))
                {
                    session.AppendAccessEvent(defined.RoleId, new RoleMemberAdded(defined.RoleId, defined.Name, $"user{u}", "bench", null, "seed",
                        Guid.NewGuid(), now));
                }
            }
        }

        await session.SaveChangesAsync();
    }

    for (var first = 0; first < GrantCount; first += 500)
    {
        await using var session = store.LightweightSession();
        for (var i = first; i < Math.Min(first + 500, GrantCount); i++)
        {
            var byRole = i % 3 == 0;
            var windows = i % 5 == 0
                ? new[] { new GrantTimeWindow(i % 2 == 0 ? "Europe/Berlin" : "America/New_York", [DayOfWeek.Monday, DayOfWeek.Tuesday,
                    DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday], new TimeOnly(7, 0), new TimeOnly(19, 0)) }
                : [];
            string[] cidrs = i % 4 == 0 ? ["10.0.0.0/14", "2001:db8::/46"] : [];
            var issued = new GrantIssued(Guid.NewGuid(),
                byRole ? GrantSubjectKind.Role : GrantSubjectKind.User,
                byRole ? $"role{random.Next(RoleCount)}" : $"user{random.Next(UserCount)}",
                byRole ? [] : [$"host{random.Next(TargetCount)}"],
                byRole ? new Dictionary<string, string> { ["env"] = envs[random.Next(envs.Length)], ["team"] = $"team{random.Next(TeamCount)}" }
                    : new Dictionary<string, string>(),
                i % 2 == 0 ? ["*"] : [logins[random.Next(logins.Length)]],
                windows,
                i % 7 == 0 ? now.AddDays(random.Next(-10, 30)) : null,
                cidrs, TimeSpan.FromHours(8), false, false, null, "bench", null, "seed", Guid.NewGuid(), now);
            session.StartStreamWithAccessEvent(issued.GrantId, issued);
        }

        await session.SaveChangesAsync();
    }
}

static int[] AccessRolesOf(int user) => [user % RoleCount, (user * 7 + 3) % RoleCount];

static double Median(IEnumerable<double> values)
{
    var sorted = values.Order().ToArray();
    return sorted[sorted.Length / 2];
}
