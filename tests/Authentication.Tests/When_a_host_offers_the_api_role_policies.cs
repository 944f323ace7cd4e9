using Gatehouse.ServiceDefaults.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Gatehouse.Authentication.Tests;

/// <summary>The role policies every host gets with API authentication, so no service declares its own copy of one.</summary>
public class When_a_host_offers_the_api_role_policies
{
    [Theory]
    [InlineData(GatehousePolicies.Admin, new[] { "admin" })]
    [InlineData(GatehousePolicies.Approver, new[] { "approver" })]
    [InlineData(GatehousePolicies.SocAnalyst, new[] { "soc-analyst" })]
    // The SOC API's reads and the gateway's live sessions.
    [InlineData(GatehousePolicies.SocAnalystOrAdmin, new[] { "soc-analyst", "admin" })]
    public async Task Should_need_exactly_these_roles(string policy, string[] roles)
    {
        var builder = WebApplication.CreateBuilder();
        builder.Configuration["Gatehouse:Api:JwksUrl"] = "http://127.0.0.1:9/jwks.json";
        builder.AddGatehouseApiAuthentication();
        await using var services = builder.Services.BuildServiceProvider();

        var found = await services.GetRequiredService<IAuthorizationPolicyProvider>().GetPolicyAsync(policy);

        Assert.Equal(roles, Assert.Single(found!.Requirements.OfType<RolesAuthorizationRequirement>()).AllowedRoles);
    }
}
