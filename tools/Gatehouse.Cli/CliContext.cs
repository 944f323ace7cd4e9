using System.Net.Http.Headers;

namespace Gatehouse.Cli;

/// <summary>
/// Where the services are and which API token to present. Defaults are the local ports of deploy/run.sh;
/// override with GATEHOUSE_AUTHENTICATION_URL, GATEHOUSE_AUTHORIZATION_URL, GATEHOUSE_SESSION_BROKER_URL,
/// GATEHOUSE_AUDIT_URL, and give the token in GATEHOUSE_TOKEN or the file GATEHOUSE_TOKEN_FILE.
/// </summary>
public sealed class CliContext
{
    public Uri Authentication { get; } = ServiceUrl("GATEHOUSE_AUTHENTICATION_URL", "http://127.0.0.1:5101/");
    public Uri Authorization { get; } = ServiceUrl("GATEHOUSE_AUTHORIZATION_URL", "http://127.0.0.1:5102/");
    public Uri SessionBroker { get; } = ServiceUrl("GATEHOUSE_SESSION_BROKER_URL", "http://127.0.0.1:5103/");
    public Uri Audit { get; } = ServiceUrl("GATEHOUSE_AUDIT_URL", "http://127.0.0.1:5104/");

    public TextWriter Out { get; init; } = Console.Out;
    public TextWriter Error { get; init; } = Console.Error;

    /// <summary>An HTTP client for one service, carrying the API token when there is one.</summary>
    public HttpClient Client(Uri service)
    {
        var client = new HttpClient { BaseAddress = service, Timeout = TimeSpan.FromSeconds(30) };
        if (Token() is { } token)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return client;
    }

    private static string? Token()
    {
        var token = Environment.GetEnvironmentVariable("GATEHOUSE_TOKEN");
        if (!string.IsNullOrWhiteSpace(token))
        {
            return token.Trim();
        }

        var file = Environment.GetEnvironmentVariable("GATEHOUSE_TOKEN_FILE");
        return !string.IsNullOrWhiteSpace(file) && File.Exists(file) ? File.ReadAllText(file).Trim() : null;
    }

    private static Uri ServiceUrl(string variable, string fallback)
    {
        var value = Environment.GetEnvironmentVariable(variable);
        return new Uri(string.IsNullOrWhiteSpace(value) ? fallback : value.EndsWith('/') ? value : value + "/");
    }
}
