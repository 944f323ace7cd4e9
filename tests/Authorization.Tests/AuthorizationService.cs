using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using Gatehouse.Contracts.Authorization;
using Gatehouse.TestSupport;
using Marten;
using MassTransit;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

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
/// One Authorization service against the real PostgreSQL (a schema of its own) and RabbitMQ (the run's virtual host).
/// One instance for all bus tests: two instances on one virtual host would compete for each other's requests.
/// API tokens are ES256, signed with a key made here, as the Authentication service would sign them.
/// </summary>
public sealed class AuthorizationService : IAsyncLifetime
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    private readonly ECDsa _signingKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly string _schema = Infrastructure.UniqueSchema("authz");
    private WebApplicationFactory<Program> _factory = null!;

    public TestClock Clock { get; } = new();

    public IServiceProvider Services => _factory.Services;

    public Uri BaseAddress { get; private set; } = null!;

    public Task InitializeAsync()
    {
        var key = new ECDsaSecurityKey(_signingKey);
        _factory = new ServiceFactory<Program>("authorization", _schema, new Dictionary<string, string?>
        {
            ["Gatehouse:Api:JwksUrl"] = "http://127.0.0.1:9/not-used-in-tests",
            // Long, so tests prove decisions stay current without the background catch-up.
            ["Gatehouse:Authorization:IndexRefreshInterval"] = "00:01:00",
        }).WithWebHostBuilder(host => host.ConfigureTestServices(services =>
        {
            services.AddSingleton<TimeProvider>(Clock);
            services.PostConfigure<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme, options =>
            {
                options.ConfigurationManager = null;
                options.TokenValidationParameters.IssuerSigningKey = key;
            });
        }));
        // On a real port, so the gatehouse CLI can be tested against it as operators use it.
        _factory.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        _factory.StartServer();
        var listening = _factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!;
        BaseAddress = new Uri(listening.Addresses.Single().Replace("localhost", "127.0.0.1", StringComparison.Ordinal) + "/");
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _factory.DisposeAsync();
        await Infrastructure.DropSchemaAsync(_schema);
        _signingKey.Dispose();
    }

    /// <summary>An API client carrying a token for <paramref name="user"/> with <paramref name="roles"/>.</summary>
    public HttpClient As(string user, params string[] roles)
    {
        var client = Anonymous();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token(user, roles));
        return client;
    }

    public string Token(string user, params string[] roles) =>
        new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = "gatehouse-authentication",
            Audience = "gatehouse-api",
            Expires = DateTime.UtcNow.AddHours(1),
            Claims = new Dictionary<string, object> { ["sub"] = user, ["role"] = roles },
            SigningCredentials = new SigningCredentials(new ECDsaSecurityKey(_signingKey), SecurityAlgorithms.EcdsaSha256),
        });

    public HttpClient Anonymous() => new() { BaseAddress = BaseAddress };

    public HttpClient Admin() => As("root-admin", "admin");

    /// <summary>Asks over RabbitMQ, as the gateway does.</summary>
    public async Task<object> CheckAsync(CheckAccess request)
    {
        var client = Services.GetRequiredService<IBus>().CreateRequestClient<CheckAccess>(RequestTimeout.After(s: 15));
        var response = await client.GetResponse<AccessAllowed, AccessRefused>(request);
        return response.Message;
    }

    public async Task<TResponse> RequestAsync<TRequest, TResponse>(TRequest request) where TRequest : class where TResponse : class
    {
        var client = Services.GetRequiredService<IBus>().CreateRequestClient<TRequest>(RequestTimeout.After(s: 15));
        return (await client.GetResponse<TResponse>(request)).Message;
    }

    public async Task<int> EventCountAsync()
    {
        await using var session = Services.GetRequiredService<IDocumentStore>().QuerySession();
        return await session.Events.QueryAllRawEvents().CountAsync();
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
public sealed class AuthorizationServiceCollection : ICollectionFixture<AuthorizationService>
{
    public const string Name = "authorization service";
}
