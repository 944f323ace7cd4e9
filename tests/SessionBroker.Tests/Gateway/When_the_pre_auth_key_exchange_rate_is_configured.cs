using Gatehouse.Ssh;
using Microsoft.Extensions.Configuration;

namespace Gatehouse.SessionBroker.Tests.Gateway;

public class When_the_pre_auth_key_exchange_rate_is_configured
{
    [Fact]
    public void Should_pass_it_to_the_ssh_server_and_ship_the_servers_defaults()
    {
        var settings = new GatewaySettings();
        new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Gatehouse:Gateway:MaxPreAuthKeyExchangesPerSource"] = "7",
            ["Gatehouse:Gateway:MaxPreAuthKeyExchangesPerSubnet"] = "21",
            ["Gatehouse:Gateway:PreAuthKeyExchangeWindow"] = "00:05:00",
        }).Build().GetSection(GatewaySettings.Section).Bind(settings);
        var options = settings.ToServerOptions("hostkeys");
        var shipped = new GatewaySettings().ToServerOptions("hostkeys");
        var library = new SshServerOptions();

        Assert.Equal((7, 21, TimeSpan.FromMinutes(5)), (options.MaxPreAuthKeyExchangesPerSource, options.MaxPreAuthKeyExchangesPerSubnet, options.PreAuthKeyExchangeWindow));
        Assert.Equal((library.MaxPreAuthKeyExchangesPerSource, library.MaxPreAuthKeyExchangesPerSubnet, library.PreAuthKeyExchangeWindow),
            (shipped.MaxPreAuthKeyExchangesPerSource, shipped.MaxPreAuthKeyExchangesPerSubnet, shipped.PreAuthKeyExchangeWindow));
    }
}
