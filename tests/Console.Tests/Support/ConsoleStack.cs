using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using Gatehouse.Console.Tests.Requests;
using Gatehouse.EndToEnd.Tests.Support;
using Gatehouse.TestSupport;
using Gatehouse.WebConsole;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Playwright;

namespace Gatehouse.Console.Tests.Support;

/// <summary>
/// The four real services (the end-to-end stack, with the Audit service on a port of its own serving the gateway's
/// recordings), the web console in front of them, and Debian's chromium driven by Playwright.
/// </summary>
public sealed class ConsoleStack : IAsyncLifetime
{
    public const string Password = "a console test passphrase";

    private readonly string _auditSchema = Infrastructure.UniqueSchema("console_audit");
    private ServiceFactory<Gatehouse.Audit.AuditTrail.AuditEntry> _audit = null!;
    private ConsoleFactory _console = null!;
    private Dictionary<string, string?> _consoleSettings = null!;
    private readonly List<ConsoleFactory> _otherConsoles = [];
    private IPlaywright _playwright = null!;

    /// <summary>A person in the browser takes seconds between looks at a live session: the gateway's idle bound leaves them that.</summary>
    public GatehouseStack Services { get; } = new() { IdleTimeout = TimeSpan.FromSeconds(60) };

    /// <summary>The second gateway instance; its ssh port is <see cref="OtherGatewayPort"/>.</summary>
    public BrokerFactory OtherGateway { get; private set; } = null!;

    public int OtherGatewayPort => OtherGateway.Services.GetRequiredService<Gatehouse.SessionBroker.Gateway.GatewayListener>().EndPoint.Port;

    /// <summary>The Audit service's schema, for a test that tampers with the store as an intruder with database access would.</summary>
    public string AuditSchema => _auditSchema;

    public Uri ConsoleUrl { get; private set; } = null!;

    /// <summary>Where the Audit service answers (its SOC API, for what the console recorded).</summary>
    public Uri AuditUrl { get; private set; } = null!;

    /// <summary>The webhook receiver and SMTP server the Audit service sends access-request notices to.</summary>
    public NoticeReceivers Notices { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    /// <summary>Where the screenshots of the main pages are kept: the test output's console-screenshots folder.</summary>
    public static string Screenshots { get; } = Path.Combine(AppContext.BaseDirectory, "console-screenshots");

    public async Task InitializeAsync()
    {
        await Services.InitializeAsync();
        Notices = await NoticeReceivers.StartAsync();
        _audit = new ServiceFactory<Gatehouse.Audit.AuditTrail.AuditEntry>("audit", _auditSchema, new Dictionary<string, string?>(Notices.AuditSettings())
        {
            ["Gatehouse:Audit:Integrity:SigningKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            ["Gatehouse:Audit:RecordingsDirectory"] = Services.RecordingDirectory,
        });
        var auditUrl = AuditUrl = ListeningService.StartOnPort(_audit);
        await ListeningService.WaitUntilHealthyAsync(auditUrl);

        // A second gateway instance, as an operator runs one for availability: live sessions are on either.
        OtherGateway = Services.StartAnotherBroker();
        var otherGatewayUrl = new Uri(OtherGateway.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single()
            .Replace("localhost", "127.0.0.1", StringComparison.Ordinal) + "/");
        await ListeningService.WaitUntilHealthyAsync(otherGatewayUrl);
        _console = new ConsoleFactory(_consoleSettings = new Dictionary<string, string?>
        {
            ["Gatehouse:Console:AuthenticationUrl"] = Services.AuthenticationAdmin.BaseAddress!.ToString(),
            ["Gatehouse:Console:AuthorizationUrl"] = Services.AuthorizationAdmin.BaseAddress!.ToString(),
            ["Gatehouse:Console:SessionBrokerUrl"] = Services.BrokerAdmin.BaseAddress!.ToString(),
            ["Gatehouse:Console:GatewayApiUrls:0"] = Services.BrokerAdmin.BaseAddress!.ToString(),
            ["Gatehouse:Console:GatewayApiUrls:1"] = otherGatewayUrl.ToString(),
            ["Gatehouse:Console:AuditUrl"] = auditUrl.ToString(),
        });
        ConsoleUrl = ListeningService.StartOnPort(_console);
        await ListeningService.WaitUntilHealthyAsync(ConsoleUrl);

        Directory.CreateDirectory(Screenshots);
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
    }

    /// <summary>Another console on the same services, with some settings changed (an Audit service that does not answer).</summary>
    public async Task<Uri> StartAnotherConsoleAsync(IReadOnlyDictionary<string, string?> overrides)
    {
        var settings = new Dictionary<string, string?>(_consoleSettings);
        foreach (var (key, value) in overrides)
        {
            settings[key] = value;
        }

        var console = new ConsoleFactory(settings);
        _otherConsoles.Add(console);
        var url = ListeningService.StartOnPort(console);
        await ListeningService.WaitUntilHealthyAsync(url);
        return url;
    }

    /// <summary>A Gatehouse person with a password, an authenticator (when asked) and the given roles.</summary>
    public async Task<GatehouseUser> PersonAsync(string prefix, string role, bool withMfa = true)
    {
        var user = await Services.CreateUserAsync(prefix, withMfa);
        await Services.SetPasswordAsync(user, Password);
        using var response = await Services.AuthenticationAdmin.PutAsJsonAsync($"api/users/{user.Name}/roles", new { roles = new[] { role } });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return user;
    }

    /// <summary>A fresh browser context (its own cookies) and page on the console.</summary>
    public async Task<IPage> PageAsync()
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = ConsoleUrl.ToString(), ViewportSize = new() { Width = 1280, Height = 900 } });
        context.SetDefaultTimeout(30_000);
        var page = await context.NewPageAsync();
        // What the browser reports (a CSP refusal, a script error) goes into the test's failure message.
        var messages = BrowserMessages.GetOrCreateValue(page);
        page.Console += (_, message) => messages.Add($"console {message.Type}: {message.Text}");
        page.PageError += (_, error) => messages.Add($"page error: {error}");
        return page;
    }

    /// <summary>Signs in through the sign-in form, with a code a step ahead so it is one the test has not used yet.</summary>
    public static async Task SignInAsync(IPage page, GatehouseUser user, string? code = null)
    {
        await page.GotoAsync("/sign-in");
        await page.FillAsync("input[name=UserName]", user.Name);
        await page.FillAsync("input[name=Password]", Password);
        await page.FillAsync("input[name=Code]", code ?? (user.TotpSecret is null ? "" : user.Code()));
        await page.ClickAsync("button[type=submit]");
    }

    public static readonly System.Runtime.CompilerServices.ConditionalWeakTable<IPage, List<string>> BrowserMessages = new();

    public static Task ScreenshotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Screenshots, name + ".png"), FullPage = true });

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
        foreach (var factory in _otherConsoles.Append<IAsyncDisposable?>(_console).Append(_audit).Append(OtherGateway))
        {
            if (factory is not null)
            {
                await factory.DisposeAsync();
            }
        }

        if (Notices is not null)
        {
            await Notices.DisposeAsync();
        }

        await Infrastructure.DropSchemaAsync(_auditSchema);
        await Services.DisposeAsync();
    }

    private sealed class ConsoleFactory(IDictionary<string, string?> settings) : WebApplicationFactory<ConsoleSettings>
    {
        protected override IHost CreateHost(IHostBuilder builder)
        {
            builder.UseContentRoot(Path.Combine(Infrastructure.RepositoryRoot, "services/Console"));
            return base.CreateHost(builder);
        }

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Testing");
            builder.ConfigureAppConfiguration(config => config.AddInMemoryCollection(settings));
        }
    }
}

[CollectionDefinition(Name)]
public sealed class ConsoleCollection : ICollectionFixture<ConsoleStack>
{
    public const string Name = "console";
}
