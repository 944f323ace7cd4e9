using Gatehouse.Authentication;
using Gatehouse.ServiceDefaults;
using Gatehouse.ServiceDefaults.Security;
using Microsoft.Extensions.Configuration;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Gatehouse.Authentication.Tests;

/// <summary>What the host registers, read from its service collection without starting it.</summary>
public class When_the_service_is_wired
{
    [Fact]
    public void Should_register_the_clock_once_through_the_service_defaults()
    {
        var builder = WebApplication.CreateBuilder();
        builder.AddServiceDefaults();
        builder.AddAuthenticationServices();

        Assert.Single(builder.Services, d => d.ServiceType == typeof(TimeProvider));
    }

    [Fact]
    public void Should_send_enums_by_name_in_every_api()
    {
        var builder = WebApplication.CreateBuilder();
        builder.AddServiceDefaults();
        using var services = builder.Services.BuildServiceProvider();

        var json = services.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;

        Assert.Contains(json.Converters, c => c is JsonStringEnumConverter);
    }

    [Fact]
    public void Should_register_the_token_holder_cache_once_through_the_bus()
    {
        var builder = WebApplication.CreateBuilder();
        builder.Configuration["Gatehouse:Api:JwksUrl"] = "http://127.0.0.1:9/jwks.json";
        builder.AddServiceDefaults();
        builder.AddAuthenticationServices();

        Assert.Single(builder.Services, d => d.ServiceType == typeof(TokenHolderCache));
    }

    [Fact]
    public void Should_check_api_token_settings_at_start_like_every_other_setting_and_report_every_problem()
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
