using System.Net;
using System.Text;
using Gatehouse.Contracts.Authentication;
using Gatehouse.TestSupport;
using MassTransit;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Gatehouse.Authentication.Tests.Support;

namespace Gatehouse.Authentication.Tests.Cli;

/// <summary>
/// A Gatehouse installation as an operator finds it on first start: the real service on a real port (the CLI is its
/// own process), an empty schema, an empty state directory, and a RabbitMQ virtual host of its own, so its consumers
/// never answer requests meant for the shared test service.
/// </summary>
public sealed class Installation : IAsyncLifetime
{
    private readonly string _schema = Infrastructure.UniqueSchema("authncli");
    private readonly string _virtualHost = $"gatehouse-test-authn-cli-{Guid.NewGuid():N}"[..48];
    private readonly string _secretsKey = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
    private ServiceFactory<Program>? _service;

    private readonly string _root = Directory.CreateTempSubdirectory("gatehouse-authn-cli-").FullName;

    public Installation() => StateRoot = _root;

    /// <summary>The state folder (<c>Gatehouse:State</c>) the service runs with.</summary>
    public string StateRoot { get; private set; }

    /// <summary>The service's own subfolder of it, where the bootstrap secret is written.</summary>
    public string StateDirectory => Path.Combine(StateRoot, AuthenticationSettings.StateFolder);

    public string SecretFile => Path.Combine(StateDirectory, "bootstrap-secret");

    public Uri Url { get; private set; } = null!;

    public GatehouseCli Cli => new(Url);

    public async Task InitializeAsync()
    {
        using var management = Infrastructure.RabbitMqManagement();
        await Send(management, HttpMethod.Put, $"vhosts/{_virtualHost}", "{}");
        foreach (var user in new[] { "gatehouse-authentication", "gatehouse-admin" })
        {
            await Send(management, HttpMethod.Put, $"permissions/{_virtualHost}/{user}", """{"configure":".*","write":".*","read":".*"}""");
        }

        Start();
    }

    /// <summary>
    /// Stops the service and starts it again on the same store, as a restart does: in the same state folder, or
    /// in <paramref name="stateRoot"/> (another host or checkout on the same database).
    /// </summary>
    public async Task RestartAsync(string? stateRoot = null)
    {
        await _service!.DisposeAsync();
        StateRoot = stateRoot ?? StateRoot;
        Start();
    }

    /// <summary>Asks over RabbitMQ, as the gateway does.</summary>
    public async Task<object> AnswerAsync<TRequest, TAccepted>(TRequest request) where TRequest : class where TAccepted : class
    {
        var client = _service!.Services.GetRequiredService<IBus>().CreateRequestClient<TRequest>(RequestTimeout.After(s: 15));
        return (await client.GetResponse<TAccepted, AuthenticationRefused>(request)).Message;
    }

    public async Task DisposeAsync()
    {
        if (_service is not null)
        {
            await _service.DisposeAsync();
        }

        await Infrastructure.DropSchemaAsync(_schema);
        using var management = Infrastructure.RabbitMqManagement();
        await Send(management, HttpMethod.Delete, $"vhosts/{_virtualHost}", null);
        Directory.Delete(_root, recursive: true);
    }

    private void Start()
    {
        var overrides = ServiceWithFirstAdmin.Overrides(StateRoot);
        overrides["Gatehouse:Bus:VirtualHost"] = _virtualHost;
        // Every CLI call comes from 127.0.0.1: only the per-user throttle is under test here.
        overrides["Gatehouse:Authentication:Lockout:MaxFailuresPerSource"] = "1000";
        overrides["Gatehouse:Authentication:Tokens:SigningKeyActivationDelay"] = "00:10:00";
        // The secrets key must survive a restart, or the encrypted signing keys and TOTP secrets could not be read.
        overrides["Gatehouse:Authentication:SecretsKey"] = _secretsKey;
        _service = new ServiceFactory<Program>("authentication", _schema, overrides);
        _service.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        _service.StartServer();
        var addresses = _service.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!;
        Url = new Uri(addresses.Addresses.Single().Replace("localhost", "127.0.0.1", StringComparison.Ordinal) + "/");
    }

    private static async Task Send(HttpClient client, HttpMethod method, string path, string? json)
    {
        using var request = new HttpRequestMessage(method, path);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        using var response = await client.SendAsync(request);
        response.EnsureSuccessStatusCode();
    }
}

/// <summary>An installation whose first admin was made with <c>gatehouse bootstrap</c> and logged in with <c>gatehouse login</c>.</summary>
public sealed class InstallationWithAdmin : IAsyncLifetime
{
    public const string AdminName = "first-admin";
    public const string AdminPassword = "the first admin's passphrase";

    public Installation Installation { get; } = new();

    public string TokenFile => Path.Combine(Installation.StateDirectory, "admin-token");

    /// <summary>The CLI with the admin's token, as after <c>export GATEHOUSE_TOKEN_FILE=...</c>.</summary>
    public GatehouseCli Admin => Installation.Cli.WithToken(TokenFile);

    public async Task InitializeAsync()
    {
        await Installation.InitializeAsync();
        var bootstrap = await Installation.Cli.RunWithInputAsync(AdminPassword + "\n", "bootstrap", "--secret-file", Installation.SecretFile, "--user", AdminName);
        Assert.True(bootstrap.Exit == 0, bootstrap.ToString());
        var login = await Installation.Cli.RunWithInputAsync(AdminPassword + "\n\n", "login", "--user", AdminName, "--token-file", TokenFile);
        Assert.True(login.Exit == 0, login.ToString());
    }

    public Task DisposeAsync() => Installation.DisposeAsync();
}
