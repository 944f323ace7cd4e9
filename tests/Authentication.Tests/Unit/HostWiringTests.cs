using Gatehouse.Authentication;
using Gatehouse.ServiceDefaults;
using Gatehouse.ServiceDefaults.Security;
using Microsoft.Extensions.Configuration;
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

    [Fact]
    public void The_token_holder_cache_is_registered_once_by_the_bus()
    {
        var builder = WebApplication.CreateBuilder();
        builder.Configuration["Gatehouse:Api:JwksUrl"] = "http://127.0.0.1:9/jwks.json";
        builder.AddServiceDefaults();
        builder.AddAuthenticationServices();

        Assert.Single(builder.Services, d => d.ServiceType == typeof(TokenHolderCache));
    }

    [Fact]
    public void Api_token_settings_are_checked_at_start_like_every_other_setting_and_every_problem_is_reported()
    {
        var builder = WebApplication.CreateBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Gatehouse:Api:JwksUrl"] = "not a url",
            ["Gatehouse:Api:TokenHolderCacheLifetime"] = "01:00:00",
        });

        builder.AddGatehouseApiAuthentication();
        using var services = builder.Services.BuildServiceProvider();
        var refused = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<ApiAuthenticationSettings>>().Value);

        Assert.Equal(
            [
                "Gatehouse:Api:JwksUrl must be the Authentication service's JWKS address, e.g. http://127.0.0.1:5101/.well-known/jwks.json.",
                "Gatehouse:Api:TokenHolderCacheLifetime must be more than 0 and at most 5 minutes.",
            ], refused.Failures);
        Assert.Contains(builder.Services, d => d.ServiceType.Name == "IStartupValidator");
    }
}
