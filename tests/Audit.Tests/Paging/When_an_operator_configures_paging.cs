using Gatehouse.Audit.Paging;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Gatehouse.Audit.Tests.Paging;

public sealed class When_an_operator_configures_paging
{
    private static readonly Dictionary<string, string?> TwoWebhooks = new()
    {
        ["Webhooks:0:Name"] = "soc",
        ["Webhooks:0:Url"] = "https://hooks.example.org/soc",
        ["Webhooks:1:Name"] = "pagerduty",
        ["Webhooks:1:Url"] = "https://events.pagerduty.com/v2/enqueue",
        ["Webhooks:1:Format"] = "PagerDuty",
        ["Webhooks:1:RoutingKey"] = "a-routing-key",
        ["Webhooks:1:Severities:0"] = "Critical",
    };

    private static PagingSettings Configure(Dictionary<string, string?> values)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(values.ToDictionary(v => $"{PagingSettings.Section}:{v.Key}", v => v.Value))
            .Build();
        using var services = new ServiceCollection().AddPagingSettings(configuration).BuildServiceProvider();
        return services.GetRequiredService<IOptions<PagingSettings>>().Value;
    }

    [Fact]
    public void Should_accept_webhooks_that_can_be_paged()
    {
        var settings = Configure(TwoWebhooks);

        Assert.Equal(["soc", "pagerduty"], settings.Webhooks.Select(w => w.Name));
        Assert.Equal(WebhookFormat.PagerDuty, settings.Webhooks[1].Format);
    }

    [Theory]
    [InlineData("Webhooks:0:Url", "hooks.example.org/soc", "Webhooks:0:Url")]
    [InlineData("Webhooks:0:Url", "ftp://hooks.example.org/soc", "Webhooks:0:Url")]
    [InlineData("Webhooks:1:Name", "soc", "Webhooks:1:Name")]
    [InlineData("Webhooks:0:Name", " ", "Webhooks:0:Name")]
    [InlineData("Webhooks:1:RoutingKey", "", "Webhooks:1:RoutingKey")]
    [InlineData("MaxAttempts", "0", "MaxAttempts")]
    [InlineData("FirstRetryDelay", "00:00:00", "FirstRetryDelay")]
    [InlineData("Timeout", "-00:00:01", "Timeout")]
    public void A_webhook_that_could_never_be_paged_is_refused_naming_its_key(string key, string value, string named)
    {
        var refused = Assert.Throws<OptionsValidationException>(() => Configure(new(TwoWebhooks) { [key] = value }));
        Assert.Contains($"{PagingSettings.Section}:{named}", refused.Message);
    }
}
