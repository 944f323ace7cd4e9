using Gatehouse.Audit.Notifying;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Gatehouse.Audit.Tests.Notifying;

public sealed class When_an_operator_configures_notifications
{
    private static readonly Dictionary<string, string?> SlackAndMail = new()
    {
        ["ConsoleUrl"] = "https://gatehouse.example.org/",
        ["Webhooks:0:Name"] = "approvers",
        ["Webhooks:0:Url"] = "https://hooks.slack.com/services/T000/B000/XXXX",
        ["Webhooks:0:Format"] = "Slack",
        ["Webhooks:1:Name"] = "ticketing",
        ["Webhooks:1:Url"] = "https://tickets.example.org/hook",
        ["Email:Host"] = "smtp.example.org",
        ["Email:UserName"] = "gatehouse",
        ["Email:Password"] = "from the environment",
        ["Email:From"] = "Gatehouse <gatehouse@example.org>",
        ["Email:To:0"] = "approvers@example.org",
    };

    private static NotificationSettings Configure(Dictionary<string, string?> values)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(values.ToDictionary(v => $"{NotificationSettings.Section}:{v.Key}", v => v.Value))
            .Build();
        using var services = new ServiceCollection().AddNotificationSettings(configuration).BuildServiceProvider();
        return services.GetRequiredService<IOptions<NotificationSettings>>().Value;
    }

    [Fact]
    public void Should_accept_channels_that_can_be_told()
    {
        var settings = Configure(SlackAndMail);

        Assert.Equal([NoticeFormat.Slack, NoticeFormat.Generic], settings.Webhooks.Select(w => w.Format));
        Assert.True(settings.Email.Configured);
        Assert.Equal(587, settings.Email.Port);
        Assert.Equal(SmtpSecurity.StartTls, settings.Email.Security);
    }

    [Fact]
    public void Should_tell_nobody_when_nothing_is_configured()
    {
        var settings = Configure([]);

        Assert.Empty(settings.Webhooks);
        Assert.False(settings.Email.Configured);
    }

    [Fact]
    public void Should_let_a_relay_on_this_host_take_mail_without_encryption_and_without_a_password()
    {
        var settings = Configure(new()
        {
            ["Email:Host"] = "127.0.0.1", ["Email:Port"] = "25", ["Email:Security"] = "None",
            ["Email:From"] = "gatehouse@example.org", ["Email:To:0"] = "approvers@example.org",
        });

        Assert.Equal(SmtpSecurity.None, settings.Email.Security);
    }

    [Theory]
    [InlineData("ConsoleUrl", "gatehouse.example.org", "ConsoleUrl")]
    [InlineData("Webhooks:1:Url", "ftp://tickets.example.org/hook", "Webhooks:1:Url")]
    [InlineData("Webhooks:1:Name", "approvers", "Webhooks:1:Name")]
    [InlineData("Webhooks:0:Name", " ", "Webhooks:0:Name")]
    [InlineData("Email:From", "not an address", "Email:From")]
    [InlineData("Email:To:0", "approvers", "Email:To")]
    [InlineData("Email:Port", "0", "Email:Port")]
    [InlineData("Email:Password", "", "Email:UserName and Password")]
    [InlineData("Email:Security", "None", "Email:Security None would send the password in clear")]
    public void A_channel_that_could_never_be_told_is_refused_naming_its_key(string key, string value, string named)
    {
        var refused = Assert.Throws<OptionsValidationException>(() => Configure(new(SlackAndMail) { [key] = value }));
        Assert.Contains($"{NotificationSettings.Section}:{named}", refused.Message);
    }

    [Fact]
    public void Should_refuse_mail_in_clear_to_another_host()
    {
        var refused = Assert.Throws<OptionsValidationException>(() => Configure(new()
        {
            ["Email:Host"] = "smtp.example.org", ["Email:Security"] = "None",
            ["Email:From"] = "gatehouse@example.org", ["Email:To:0"] = "approvers@example.org",
        }));
        Assert.Contains($"{NotificationSettings.Section}:Email:Security None is only for a relay on this host", refused.Message);
    }
}
