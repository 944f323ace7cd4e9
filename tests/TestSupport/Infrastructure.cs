using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using Npgsql;

namespace Gatehouse.TestSupport;

/// <summary>
/// The PostgreSQL and RabbitMQ that <c>deploy/infra.sh up</c> started (deploy/test.sh runs it first).
/// Every test run gets its own RabbitMQ virtual host, deleted when the run ends.
/// </summary>
public static class Infrastructure
{
    public static readonly string[] Services = ["authentication", "authorization", "session-broker", "audit"];

    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    private static readonly Lazy<IReadOnlyDictionary<string, string>> Secrets = new(ReadSecrets);
    private static readonly Lazy<string> VirtualHost = new(CreateVirtualHost);

    /// <summary>The RabbitMQ virtual host of this test run, where every service user may read and write.</summary>
    public static string TestVirtualHost => VirtualHost.Value;

    public static string Password(string service) => Secret("GATEHOUSE_PASSWORD_" + service.Replace('-', '_'));

    public static string PostgresRole(string service) => "gatehouse_" + service.Replace('-', '_');

    public static string RabbitMqUser(string service) => "gatehouse-" + service;

    /// <summary>Configuration for one service: its own database role and schema, its own bus user on the run's virtual host.</summary>
    public static Dictionary<string, string?> ServiceConfiguration(string service, string schema) => new()
    {
        ["ConnectionStrings:Postgres"] = $"Host=127.0.0.1;Port=5432;Database=gatehouse;Username={PostgresRole(service)}",
        ["Gatehouse:EventStore:Schema"] = schema,
        ["Gatehouse:EventStore:Password"] = Password(service),
        ["Gatehouse:Bus:Host"] = "127.0.0.1",
        ["Gatehouse:Bus:Port"] = "5672",
        ["Gatehouse:Bus:VirtualHost"] = TestVirtualHost,
        ["Gatehouse:Bus:Username"] = RabbitMqUser(service),
        ["Gatehouse:Bus:Password"] = Password(service),
    };

    /// <summary>A fresh schema name, so each test class starts from an empty store.</summary>
    public static string UniqueSchema(string prefix) => $"{prefix}_{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 13, 63)];

    public static Task DropSchemaAsync(string schema) => AsAdministratorAsync(schema, "DROP SCHEMA IF EXISTS {schema} CASCADE");

    /// <summary>Drops a database a test made, even while something is still connected to it.</summary>
    public static Task DropDatabaseAsync(string database) => AdministerAsync($"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)", []);

    /// <summary>Runs SQL as the database administrator, with <c>{schema}</c> standing for <paramref name="schema"/>.</summary>
    public static Task AsAdministratorAsync(string schema, string sql, params object[] parameters) =>
        AdministerAsync(sql.Replace("{schema}", $"\"{schema}\""), parameters);

    /// <summary>How many events of each type the schema's event store holds: a fingerprint of what a service has stored.</summary>
    public static async Task<IReadOnlyDictionary<string, long>> EventCountsAsync(string schema)
    {
        await using var connection = new NpgsqlConnection(AdministratorConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"SELECT type, count(*) FROM \"{schema}\".mt_events GROUP BY type", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var counts = new Dictionary<string, long>();
        while (await reader.ReadAsync())
        {
            counts[reader.GetString(0)] = reader.GetInt64(1);
        }

        return counts;
    }

    private static string AdministratorConnectionString =>
        $"Host=127.0.0.1;Port=5432;Database=gatehouse;Username=gatehouse_admin;Password={Secret("GATEHOUSE_POSTGRES_ADMIN_PASSWORD")}";

    private static async Task AdministerAsync(string sql, object[] parameters)
    {
        await using var connection = new NpgsqlConnection(AdministratorConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        }

        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Stops the broker through the project's own script, as an operator would see an outage.</summary>
    public static Task StopRabbitMqAsync() => RunInfraScriptAsync("stop-rabbitmq");

    public static Task StartRabbitMqAsync() => RunInfraScriptAsync("start-rabbitmq");

    /// <summary>The RabbitMQ management API, as the administrator, for assertions on queues.</summary>
    public static HttpClient RabbitMqManagement()
    {
        var client = new HttpClient { BaseAddress = new Uri("http://127.0.0.1:15672/api/") };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes("gatehouse-admin:" + Secret("GATEHOUSE_RABBITMQ_ADMIN_PASSWORD"))));
        return client;
    }

    /// <summary>A value from the machine's infrastructure secrets (deploy/infra.sh writes them).</summary>
    public static string Secret(string name) =>
        Secrets.Value.TryGetValue(name, out var value)
            ? value
            : throw new InvalidOperationException($"{name} is missing from the infrastructure secrets: run deploy/infra.sh up first");

    private static async Task RunInfraScriptAsync(string command)
    {
        using var process = Process.Start(new ProcessStartInfo(Path.Combine(RepositoryRoot, "deploy", "infra.sh"), command)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        })!;
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"deploy/infra.sh {command} failed: {await stderr}");
        }
    }

    private static string CreateVirtualHost()
    {
        var name = $"{TestVirtualHostPrefix}{Environment.ProcessId}-{Guid.NewGuid():N}"[..40];
        using var client = RabbitMqManagement();
        AwaitManagementApi(client);
        RemoveAbandonedVirtualHosts(client);
        Send(client, HttpMethod.Put, $"vhosts/{name}", "{}");
        foreach (var user in Services.Select(RabbitMqUser).Append("gatehouse-admin"))
        {
            Send(client, HttpMethod.Put, $"permissions/{name}/{user}", """{"configure":".*","write":".*","read":".*"}""");
        }

        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            using var cleanup = RabbitMqManagement();
            try
            {
                Send(cleanup, HttpMethod.Delete, $"vhosts/{name}", null);
            }
            catch (HttpRequestException)
            {
                // The broker may be down at exit; the next test run removes the host (it holds no data of value).
            }
        };
        return name;
    }

    private const string TestVirtualHostPrefix = "gatehouse-test-";

    /// <summary>
    /// The broker may be restarting (an outage test of another test run on the machine): the virtual host is made once per
    /// process, so a refusal here would fail every test of the run. Waits for the management API within a bound instead.
    /// </summary>
    private static void AwaitManagementApi(HttpClient client)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(120);
        while (true)
        {
            try
            {
                using var response = client.Send(new HttpRequestMessage(HttpMethod.Get, "overview"));
                response.EnsureSuccessStatusCode();
                return;
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline)
            {
                Thread.Sleep(TimeSpan.FromSeconds(1));
            }
        }
    }

    /// <summary>
    /// Deletes the virtual hosts of test runs whose process is gone (killed, or the broker was down when it ended):
    /// their idle quorum queues otherwise keep costing the broker CPU, which skews later runs and benchmarks.
    /// </summary>
    private static void RemoveAbandonedVirtualHosts(HttpClient client)
    {
        using var response = client.Send(new HttpRequestMessage(HttpMethod.Get, "vhosts?columns=name"));
        response.EnsureSuccessStatusCode();
        using var hosts = System.Text.Json.JsonDocument.Parse(response.Content.ReadAsStream());
        foreach (var host in hosts.RootElement.EnumerateArray().Select(h => h.GetProperty("name").GetString()!))
        {
            if (host.StartsWith(TestVirtualHostPrefix, StringComparison.Ordinal)
                && int.TryParse(host[TestVirtualHostPrefix.Length..].Split('-')[0], out var pid)
                && !Directory.Exists($"/proc/{pid}"))
            {
                Send(client, HttpMethod.Delete, $"vhosts/{Uri.EscapeDataString(host)}", null);
            }
        }
    }

    private static void Send(HttpClient client, HttpMethod method, string path, string? json)
    {
        using var request = new HttpRequestMessage(method, path);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        using var response = client.Send(request);
        response.EnsureSuccessStatusCode();
    }

    private static IReadOnlyDictionary<string, string> ReadSecrets()
    {
        var file = Environment.GetEnvironmentVariable("GATEHOUSE_SECRETS") is { Length: > 0 } configured
            ? configured
            : "/var/lib/gatehouse/secrets.env";
        if (!File.Exists(file))
        {
            throw new InvalidOperationException($"{file} does not exist: run deploy/infra.sh up (deploy/test.sh does) before the tests");
        }

        return File.ReadAllLines(file)
            .Where(line => line.Contains('=') && !line.TrimStart().StartsWith('#'))
            .Select(line => line.Split('=', 2))
            .ToDictionary(parts => parts[0].Trim(), parts => parts[1].Trim().Trim('\''));
    }

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Platform.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Cannot find Platform.sln above the test binaries");
    }
}
