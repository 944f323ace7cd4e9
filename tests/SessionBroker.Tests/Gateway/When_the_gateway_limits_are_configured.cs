using System.ComponentModel.DataAnnotations;
using Gatehouse.Ssh;
using Microsoft.Extensions.Configuration;

namespace Gatehouse.SessionBroker.Tests.Gateway;

public class When_the_gateway_limits_are_configured
{
    private static GatewaySettings Bind(Dictionary<string, string?> values)
    {
        var settings = new GatewaySettings();
        new ConfigurationBuilder().AddInMemoryCollection(values).Build().GetSection(GatewaySettings.Section).Bind(settings);
        return settings;
    }

    [Fact]
    public void Should_pass_the_pre_authentication_limits_to_the_ssh_server()
    {
        var options = Bind(new()
        {
            ["Gatehouse:Gateway:LoginGraceTime"] = "00:00:45",
            ["Gatehouse:Gateway:KeyExchangeGraceTime"] = "00:00:05",
            ["Gatehouse:Gateway:MaxUnauthenticatedConnections"] = "300",
            ["Gatehouse:Gateway:MaxUnauthenticatedConnectionsPerSource"] = "6",
            ["Gatehouse:Gateway:MaxUnauthenticatedConnectionsPerSubnet"] = "12",
            ["Gatehouse:Gateway:Ipv4SubnetPrefixLength"] = "22",
            ["Gatehouse:Gateway:Ipv6SubnetPrefixLength"] = "56",
            ["Gatehouse:Gateway:UnauthenticatedHighWaterMark"] = "120",
            ["Gatehouse:Gateway:SourceShareUnderPressure"] = "1",
            ["Gatehouse:Gateway:SubnetShareUnderPressure"] = "3",
        }).ToServerOptions("hostkeys");

        Assert.Equal(
            (TimeSpan.FromSeconds(45), TimeSpan.FromSeconds(5), 300, 6, 12, 22, 56, 120, 1, 3),
            (options.LoginGraceTime, options.KeyExchangeGraceTime, options.MaxUnauthenticatedConnections, options.MaxUnauthenticatedConnectionsPerSource,
                options.MaxUnauthenticatedConnectionsPerSubnet, options.Ipv4SubnetPrefixLength, options.Ipv6SubnetPrefixLength,
                options.UnauthenticatedHighWaterMark, options.SourceShareUnderPressure, options.SubnetShareUnderPressure));
    }

    [Fact]
    public void Should_ship_the_ssh_servers_own_defaults()
    {
        var configured = new GatewaySettings().ToServerOptions("hostkeys");
        var library = new SshServerOptions();

        Assert.Equal(
            (library.LoginGraceTime, library.KeyExchangeGraceTime, library.MaxUnauthenticatedConnections, library.MaxUnauthenticatedConnectionsPerSource,
                library.MaxUnauthenticatedConnectionsPerSubnet, library.UnauthenticatedHighWaterMark, library.SourceShareUnderPressure, library.SubnetShareUnderPressure),
            (configured.LoginGraceTime, configured.KeyExchangeGraceTime, configured.MaxUnauthenticatedConnections, configured.MaxUnauthenticatedConnectionsPerSource,
                configured.MaxUnauthenticatedConnectionsPerSubnet, configured.UnauthenticatedHighWaterMark, configured.SourceShareUnderPressure, configured.SubnetShareUnderPressure));
    }

    [Fact]
    public void Should_reject_a_key_exchange_grace_too_short_for_a_real_client()
    {
        var settings = Bind(new() { ["Gatehouse:Gateway:KeyExchangeGraceTime"] = "00:00:00.500" });

        Assert.False(Validator.TryValidateObject(settings, new ValidationContext(settings), [], validateAllProperties: true));
    }
}
