using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using Gatehouse.Authentication.Credentials.Mfa.EnrollingMfa;
using Gatehouse.Authentication.SignIn;
using Gatehouse.Authentication.Tokens.IssuingToken;
using Gatehouse.Contracts;
using Gatehouse.Contracts.Authentication;
using Gatehouse.TestSupport;
using JasperFx.Events;
using Marten;
using MassTransit;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Gatehouse.Authentication.Tests.Support;

/// <summary>
/// The real Authentication service on the real PostgreSQL and RabbitMQ, with a first admin created through the bootstrap.
/// One instance per test run: a second one would compete for the same queues on the run's virtual host.
/// </summary>
public sealed class ServiceWithFirstAdmin : IAsyncLifetime
{
    public const string AdminName = "root-admin";
    public const string AdminPassword = "a long admin passphrase";

    private readonly string _schema = Infrastructure.UniqueSchema("authn");
    private readonly string _stateRoot = Directory.CreateTempSubdirectory("gatehouse-authn-").FullName;
    private IBusControl _gatewayBus = null!;

    public TestClock Clock { get; } = new();
    public Dictionary<string, string?> Configuration { get; private set; } = null!;
    public AuthenticationService Service { get; private set; } = null!;
    public string Schema => _schema;
    public PublishedEvents Published { get; } = new();
    public HttpClient Admin { get; private set; } = null!;
    /// <summary>The service's own subfolder of the state folder, where the bootstrap secret is written.</summary>
    public string StateDirectory => Path.Combine(_stateRoot, AuthenticationSettings.StateFolder);
    public IBus GatewayBus => _gatewayBus;

    public async Task InitializeAsync()
    {
        Configuration = Overrides(_stateRoot);
        Service = new AuthenticationService(_schema, Configuration, Clock);
        Service.CreateClient().Dispose();

        _gatewayBus = await TestBus.StartAsync(Published.ConfigureReceiver);

        using var anonymous = Service.CreateClient();
        var secret = (await File.ReadAllTextAsync(Path.Combine(StateDirectory, "bootstrap-secret"))).Trim();
        var created = await anonymous.PostAsJsonAsync("/api/bootstrap", new { secret, userName = AdminName, password = AdminPassword });
        created.EnsureSuccessStatusCode();
        Admin = Service.CreateClient();
        Admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await TokenAsync(AdminName, AdminPassword));
    }

    public static Dictionary<string, string?> Overrides(string stateRoot) => new()
    {
        ["Gatehouse:State"] = stateRoot,
        ["Gatehouse:Authentication:SecretsKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
        ["Gatehouse:Authentication:PasswordHashing:MemoryKiB"] = "1024",
        ["Gatehouse:Authentication:PasswordHashing:Iterations"] = "1",
        ["Gatehouse:Authentication:Lockout:MaxFailuresPerUserAndSource"] = "3",
        ["Gatehouse:Authentication:Lockout:MaxFailuresPerSource"] = "7",
        ["Gatehouse:Authentication:Lockout:MaxSecondFactorFailuresPerUser"] = "3",
        // The account lock is off by default; on here, above what one test's guesses from two addresses reach.
        ["Gatehouse:Authentication:Lockout:AccountLockAfterFailures"] = "8",
        ["Gatehouse:Authentication:Lockout:MaxAccountLockPerDay"] = "00:02:00",
        // Short, so a rotated key starts signing within the test.
        ["Gatehouse:Authentication:Tokens:SigningKeyActivationDelay"] = "00:00:03",
    };

    public async Task<string> TokenAsync(string userName, string password, string? code = null)
    {
        using var anonymous = Service.CreateClient();
        var response = await anonymous.PostAsJsonAsync("/api/tokens", new { userName, password, code });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<TokenResponse>())!.AccessToken;
    }

    /// <summary>POST /api/tokens as a caller at <paramref name="source"/> (the service trusts no forwarded-for header, only the connection).</summary>
    public async Task<HttpResponseMessage> TokenResponseAsync(string userName, string password, string source, string? code = null)
    {
        using var handler = Service.Server.CreateHandler(http => http.Connection.RemoteIpAddress = IPAddress.Parse(source));
        using var client = new HttpClient(handler) { BaseAddress = Service.Server.BaseAddress };
        return await client.PostAsJsonAsync("/api/tokens", new { userName, password, code });
    }

    public async Task<object> AnswerAsync<TRequest, TAccepted>(TRequest request) where TRequest : class where TAccepted : class
    {
        var client = _gatewayBus.CreateRequestClient<TRequest>(RequestTimeout.After(s: 15));
        var response = await client.GetResponse<TAccepted, AuthenticationRefused>(request);
        return response.Message;
    }

    /// <summary>Creates a user with roles and, optionally, a key, a password and a confirmed authenticator.</summary>
    public async Task<TestUser> CreateUserAsync(string prefix, string[]? roles = null, bool withKey = true,
        string? password = null, bool withMfa = false)
    {
        var name = $"{prefix}-{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 9, 32)];
        (await Admin.PostAsJsonAsync("/api/users", new { userName = name, roles = roles ?? ["user"] })).EnsureSuccessStatusCode();
        var key = TestKeys.Ed25519();
        if (withKey)
        {
            (await Admin.PostAsJsonAsync($"/api/users/{name}/keys", new { publicKey = key.Line("test") })).EnsureSuccessStatusCode();
        }

        if (password is not null)
        {
            (await Admin.PutAsJsonAsync($"/api/users/{name}/password", new { password })).EnsureSuccessStatusCode();
        }

        byte[]? secret = null;
        IReadOnlyList<string> recoveryCodes = [];
        if (withMfa)
        {
            var enrollment = await EnrollAsync(name);
            secret = OtpNet.Base32Encoding.ToBytes(enrollment.Secret);
            recoveryCodes = enrollment.RecoveryCodes;
            var confirmed = await Admin.PostAsJsonAsync($"/api/users/{name}/mfa/confirm",
                new { code = Gatehouse.Authentication.Credentials.Mfa.Totp.Code(secret, Gatehouse.Authentication.Credentials.Mfa.Totp.TimeStep(Clock.GetUtcNow())) });
            confirmed.EnsureSuccessStatusCode();
            // The confirming code's step is spent; move on so the next code is a fresh one.
            Clock.Advance(TimeSpan.FromSeconds(30));
        }

        return new TestUser(name, key, password, secret, recoveryCodes);
    }

    public async Task<MfaEnrollment> EnrollAsync(string name)
    {
        var response = await Admin.PostAsync($"/api/users/{name}/mfa", null);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<MfaEnrollment>())!;
    }

    public string CurrentCode(TestUser user) =>
        Gatehouse.Authentication.Credentials.Mfa.Totp.Code(user.TotpSecret!, Gatehouse.Authentication.Credentials.Mfa.Totp.TimeStep(Clock.GetUtcNow()));

    /// <summary>The access events stored in the service's own schema for one correlation id.</summary>
    public async Task<IReadOnlyList<IAccessEvent>> StoredEventsAsync(string correlationId)
    {
        await using var session = Service.Services.GetRequiredService<IDocumentStore>().QuerySession();
        var events = await session.Events.FetchStreamAsync(LoginStreams.For(correlationId));
        return events.Select(e => e.Data).OfType<IAccessEvent>().ToArray();
    }

    /// <summary>The events that changed something: the record of a refused change is left out (see <see cref="RefusalsAsync"/>).</summary>
    public Task<StoredData> StoredDataAsync() => StoredData.InAsync(Service.Services, typeof(AccountChangeRefused));

    /// <summary>The refused changes recorded for <paramref name="actor"/>, oldest first.</summary>
    public async Task<IReadOnlyList<AccountChangeRefused>> RefusalsAsync(string actor)
    {
        await using var session = Service.Services.GetRequiredService<IDocumentStore>().QuerySession();
        return (await session.Events.QueryAllRawEvents().OrderBy(e => e.Sequence).ToListAsync())
            .Select(e => e.Data).OfType<AccountChangeRefused>().Where(r => r.Actor == actor).ToList();
    }

    public async Task DisposeAsync()
    {
        Admin?.Dispose();
        await _gatewayBus.StopAsync();
        await Service.DisposeAsync();
        await Infrastructure.DropSchemaAsync(_schema);
        Directory.Delete(_stateRoot, recursive: true);
    }
}

public sealed record TestUser(string Name, TestKey Key, string? Password, byte[]? TotpSecret, IReadOnlyList<string> RecoveryCodes)
{
    public AuthenticatePublicKey KeyRequest(string connection, string? source = null) =>
        new(Name, Key.Algorithm, Key.Base64, source ?? TestSources.Next(), connection);
}

/// <summary>The service with the tests' clock in place of the system clock.</summary>
public sealed class AuthenticationService(string schema, IDictionary<string, string?> overrides, TimeProvider clock)
    : ServiceFactory<Program>("authentication", schema, overrides)
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services => services.AddSingleton(clock));
    }
}

[CollectionDefinition(Name)]
public sealed class ServiceWithFirstAdminCollection : ICollectionFixture<ServiceWithFirstAdmin>
{
    public const string Name = "authentication service";
}

/// <summary>A fresh source address for each request, so failures in one test never block another test's address.</summary>
public static class TestSources
{
    private static int _next;

    public static string Next()
    {
        var n = Interlocked.Increment(ref _next);
        return $"10.{(n >> 16) & 255}.{(n >> 8) & 255}.{n & 255}";
    }
}
