using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Gatehouse.Audit.Paging;
using Gatehouse.ServiceDefaults.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry.Trace;

namespace Gatehouse.Audit.Tests.Paging;

public sealed class When_a_webhook_call_is_traced
{
    private const string WebhookSecret = "T0001-B0002-traced-webhook-secret";

    [Fact]
    public async Task The_span_shows_the_webhook_host_but_not_its_path_or_query()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var url = new Uri($"http://127.0.0.1:{port}/services/{WebhookSecret}?token={WebhookSecret}");

        var spans = new ConcurrentBag<Activity>();
        using var recorder = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "System.Net.Http",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                if (Equals(activity.GetTagItem("server.port"), port))
                {
                    spans.Add(activity);
                }
            },
        };
        ActivitySource.AddActivityListener(recorder);

        // The services' own telemetry set-up, as the Audit host has it, so the HttpClient instrumentation is the real one.
        var builder = Host.CreateApplicationBuilder();
        builder.AddGatehouseTelemetry();
        builder.Services.AddSingleton(TimeProvider.System);
        Deliveries.AddDeliveries(builder.Services);
        using var host = builder.Build();
        _ = host.Services.GetRequiredService<TracerProvider>();

        var retries = new PagingSettings { MaxAttempts = 1, Timeout = TimeSpan.FromSeconds(5) };
        var outcome = await host.Services.GetRequiredService<Deliveries>().PostJsonAsync("paging alert", new DeliveryChannel("webhook", "soc"), url,
            new JsonObject { ["text"] = "test" }, retries, CancellationToken.None);

        Assert.False(outcome.Delivered);
        var span = Assert.Single(spans);
        Assert.Equal($"http://127.0.0.1:{port}/(redacted)", span.GetTagItem("url.full"));
        Assert.DoesNotContain(span.TagObjects, tag => tag.Value?.ToString()?.Contains(WebhookSecret) == true);
        Assert.DoesNotContain(WebhookSecret, span.DisplayName);
    }
}
