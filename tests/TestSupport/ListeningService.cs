using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Gatehouse.TestSupport;

/// <summary>A service under test on a real loopback port, as other processes (ssh, a browser, the CLI) reach it.</summary>
public static class ListeningService
{
    public static Uri StartOnPort<T>(WebApplicationFactory<T> factory) where T : class
    {
        factory.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        factory.StartServer();
        var addresses = factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!;
        return new Uri(addresses.Addresses.Single().Replace("localhost", "127.0.0.1", StringComparison.Ordinal) + "/");
    }

    /// <summary>As run.sh does: a service takes traffic once its /health says so (the services check tokens with each other).</summary>
    public static async Task WaitUntilHealthyAsync(Uri service)
    {
        using var client = new HttpClient { BaseAddress = service };
        var deadline = DateTime.UtcNow.AddMinutes(2);
        string last;
        do
        {
            using var response = await client.GetAsync("health");
            last = $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";
            if (response.IsSuccessStatusCode)
            {
                return;
            }

            await Task.Delay(200);
        }
        while (DateTime.UtcNow < deadline);
        throw new TimeoutException($"{service} did not become healthy in 2 minutes: {last}");
    }
}
