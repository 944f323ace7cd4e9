using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace Gatehouse.ServiceDefaults.Telemetry;

/// <summary>
/// HTTP clients whose addresses are credentials (a Slack or PagerDuty webhook's path is its secret): their requests are
/// traced with the scheme and host only, since the traces leave the service when OTLP export is on.
/// </summary>
public static class SecretAddresses
{
    private static readonly HttpRequestOptionsKey<bool> Secret = new("gatehouse.secret-address");

    /// <summary>Marks every request of this client; <see cref="TelemetryExtensions"/> redacts the marked ones' spans.</summary>
    public static IHttpClientBuilder HideAddressesInTraces(this IHttpClientBuilder client) => client.AddHttpMessageHandler(() => new Marking());

    /// <summary>The address as traced: <c>https://hooks.slack.com/(redacted)</c>.</summary>
    public static string Shown(Uri address) => $"{address.Scheme}://{address.Authority}/(redacted)";

    /// <summary>Called as the HttpClient span starts, after the runtime set its own tags, which this overwrites.</summary>
    internal static void Redact(Activity activity, HttpRequestMessage request)
    {
        if (request.Options.TryGetValue(Secret, out var secret) && secret && request.RequestUri is { } address)
        {
            activity.SetTag("url.full", Shown(address));
            activity.SetTag("url.path", null);
            activity.SetTag("url.query", null);
        }
    }

    private sealed class Marking : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            request.Options.Set(Secret, true);
            return base.SendAsync(request, cancellationToken);
        }
    }
}
