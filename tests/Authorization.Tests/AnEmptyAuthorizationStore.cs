using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using Gatehouse.Contracts;
using Gatehouse.Contracts.Authorization;
using Gatehouse.TestSupport;
using Marten;
using MassTransit;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Gatehouse.Authorization.Tests;

/// <summary>A clock the tests can stop at any instant; it runs with real time until told otherwise.</summary>
public sealed class TestClock : TimeProvider
{
    private DateTimeOffset? _now;

    public void Set(DateTimeOffset now) => _now = now;

    public void Reset() => _now = null;

    public override DateTimeOffset GetUtcNow() => _now ?? base.GetUtcNow();
}

/// <summary>
/// Starts with no targets, roles, grants or policies: one Authorization service against the real PostgreSQL (a schema
/// of its own) and RabbitMQ (the run's virtual host). One instance for all bus tests: two instances on one virtual host
/// would compete for each other's requests. API tokens are ES256, signed with a key made here, as the Authentication
/// service would sign them. The real Authentication service runs beside it (a schema of its own, the same virtual
/// host), since a grant to a user is issued only when Authentication says the user exists: tests create their users
/// there first.
/// </summary>
public sealed class AnEmptyAuthorizationStore : IAsyncLifetime
{
    private const string AuthenticationAdmin = "authz-tests-admin";
    private const string AuthenticationAdminPassword = "an authorization tests passphrase";

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    private readonly string _schema = Infrastructure.UniqueSchema("authz");
    private readonly string _authenticationSchema = Infrastructure.UniqueSchema("authz_authn");
    private readonly string _authenticationState = Directory.CreateTempSubdirectory("gatehouse-authz-authn-").FullName;
    private WebApplicationFactory<AuthorizationSettings> _factory = null!;
    private WebApplicationFactory<Gatehouse.Authentication.AuthenticationSettings> _authentication = null!;
    private HttpClient _users = null!;

    public TestClock Clock { get; } = new();

    public IServiceProvider Services => _factory.Services;

    public Uri BaseAddress { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _authentication = new ServiceFactory<Gatehouse.Authentication.AuthenticationSettings>("authentication", _authenticationSchema,
            new Dictionary<string, string?>
            {
                ["Gatehouse:State"] = _authenticationState,
                ["Gatehouse:Authentication:SecretsKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
                ["Gatehouse:Authentication:PasswordHashing:MemoryKiB"] = "1024",
                ["Gatehouse:Authentication:PasswordHashing:Iterations"] = "1",
            });
        using (var anonymous = _authentication.CreateClient())
        {
            var token = await TokensFromAuthentication.BootstrapAdminAsync(anonymous,
                Path.Combine(_authenticationState, Gatehouse.Authentication.AuthenticationSettings.StateFolder), AuthenticationAdmin, AuthenticationAdminPassword);
            _users = _authentication.CreateClient();
            _users.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        _factory = Instance(_schema, new Dictionary<string, string?>
        {
            // Long, so tests prove decisions stay current without the background catch-up.
            ["Gatehouse:Authorization:IndexRefreshInterval"] = "00:01:00",
        });
        // On a real port, so the gatehouse CLI can be tested against it as operators use it.
        _factory.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        _factory.StartServer();
        var listening = _factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!;
        BaseAddress = new Uri(listening.Addresses.Single().Replace("localhost", "127.0.0.1", StringComparison.Ordinal) + "/");
    }

    /// <summary>
    /// An instance of the service on <paramref name="schema"/>, accepting this fixture's tokens, with
    /// <paramref name="overrides"/> (another virtual host, say); the caller disposes it and drops the schema.
    /// </summary>
    public WebApplicationFactory<AuthorizationSettings> Instance(string schema, IDictionary<string, string?> overrides)
    {
        var settings = new Dictionary<string, string?>(overrides) { ["Gatehouse:Api:JwksUrl"] = "http://127.0.0.1:9/not-used-in-tests" };
        return new ServiceFactory<AuthorizationSettings>("authorization", schema, settings).WithWebHostBuilder(host => host.ConfigureTestServices(services =>
        {
            services.AddSingleton<TimeProvider>(Clock);
            services.AcceptTokensSignedHere();
        }));
    }

    public async Task DisposeAsync()
    {
        await _factory.DisposeAsync();
        await Infrastructure.DropSchemaAsync(_schema);
        _users.Dispose();
        await _authentication.DisposeAsync();
        await Infrastructure.DropSchemaAsync(_authenticationSchema);
        Directory.Delete(_authenticationState, recursive: true);
    }

    /// <summary>Creates users in the Authentication service, as an operator does before granting them anything.</summary>
    public async Task CreateUsersAsync(params string[] names)
    {
        foreach (var name in names)
        {
            var created = await _users.PostAsJsonAsync("/api/users", new { userName = name, roles = new[] { "user" } });
            Assert.True(created.IsSuccessStatusCode, $"creating user {name}: {(int)created.StatusCode} {await created.Content.ReadAsStringAsync()}");
        }
    }

    /// <summary>An API client carrying a token for <paramref name="user"/> with <paramref name="roles"/>.</summary>
    public HttpClient As(string user, params string[] roles)
    {
        var client = Anonymous();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token(user, roles));
        return client;
    }

    public string Token(string user, params string[] roles) => TokensSignedHere.Token(user, roles);

    public HttpClient Anonymous() => new() { BaseAddress = BaseAddress };

    public HttpClient Admin() => As("root-admin", "admin");

    /// <summary>Asks over RabbitMQ, as the gateway does.</summary>
    public async Task<object> CheckAsync(CheckAccess request)
    {
        var client = Services.GetRequiredService<IBus>().CreateRequestClient<CheckAccess>(RequestTimeout.After(s: 15));
        var response = await client.GetResponse<AccessAllowed, AccessRefused>(request);
        return response.Message;
    }

    /// <summary>Asks, as the gateway does, whether <paramref name="user"/> (with no API role) may reach <paramref name="target"/> from 10.1.2.3.</summary>
    public Task<object> CheckAsync(string user, string target, string login = "deploy") =>
        CheckAsync(new CheckAccess(user, [], target, login, "10.1.2.3", false, Guid.NewGuid().ToString()));

    /// <summary>The gatehouse CLI against this service on its real port, with <paramref name="token"/> in GATEHOUSE_TOKEN.</summary>
    public Task<(int Exit, string Out, string Error)> RunCliAsync(string token, params string[] args) =>
        InProcessCli.RunAsync("GATEHOUSE_AUTHORIZATION_URL", BaseAddress, token, args);

    public async Task<TResponse> RequestAsync<TRequest, TResponse>(TRequest request) where TRequest : class where TResponse : class
    {
        var client = Services.GetRequiredService<IBus>().CreateRequestClient<TRequest>(RequestTimeout.After(s: 15));
        return (await client.GetResponse<TResponse>(request)).Message;
    }

    /// <summary>The events that changed something: the record of a refused change is left out (see <see cref="RefusalsAsync"/>).</summary>
    public Task<StoredData> StoredDataAsync() => StoredData.InAsync(Services, typeof(AccessChangeRefused));

    /// <summary>The refused changes recorded for <paramref name="actor"/>, oldest first.</summary>
    public async Task<IReadOnlyList<AccessChangeRefused>> RefusalsAsync(string actor)
    {
        await using var session = Services.GetRequiredService<IDocumentStore>().QuerySession();
        return (await session.Events.QueryAllRawEvents().OrderBy(e => e.Sequence).ToListAsync())
            .Select(e => e.Data).OfType<AccessChangeRefused>().Where(r => r.Actor == actor).ToList();
    }

    public async Task<IReadOnlyList<object>> EventsOfStreamAsync(Guid streamId)
    {
        await using var session = Services.GetRequiredService<IDocumentStore>().QuerySession();
        return (await session.Events.FetchStreamAsync(streamId)).Select(e => e.Data).ToList();
    }

    public static async Task<T> Read<T>(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {body}");
        return JsonSerializer.Deserialize<T>(body, Json)!;
    }

    public static Task<HttpResponseMessage> Post(HttpClient client, string path, object body) =>
        client.PostAsJsonAsync(path, body, Json);
}

[CollectionDefinition(Name)]
public sealed class AnEmptyAuthorizationStoreCollection : ICollectionFixture<AnEmptyAuthorizationStore>
{
    public const string Name = "an empty authorization store";
}
