using Gatehouse.Authentication;
using Gatehouse.ServiceDefaults;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Gatehouse.Authentication.Tests.Unit;

/// <summary>What the host registers, read from its service collection without starting it.</summary>
public class HostWiringTests
{
    [Fact]
    public void The_clock_is_registered_once_by_the_service_defaults()
    {
        var builder = WebApplication.CreateBuilder();
        builder.AddServiceDefaults();
        builder.AddAuthenticationServices();

        Assert.Single(builder.Services, d => d.ServiceType == typeof(TimeProvider));
    }

    [Fact]
    public void Enums_travel_by_name_in_every_api()
    {
        var builder = WebApplication.CreateBuilder();
        builder.AddServiceDefaults();
        using var services = builder.Services.BuildServiceProvider();

        var json = services.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;

        Assert.Contains(json.Converters, c => c is JsonStringEnumConverter);
    }
}
