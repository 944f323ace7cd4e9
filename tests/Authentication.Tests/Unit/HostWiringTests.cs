using Gatehouse.Authentication;
using Gatehouse.ServiceDefaults;
using Microsoft.AspNetCore.Builder;

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
}
