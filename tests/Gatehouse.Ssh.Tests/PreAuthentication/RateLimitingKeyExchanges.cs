using System.Net;
using Gatehouse.Ssh.PreAuthentication;

namespace Gatehouse.Ssh.Tests.PreAuthentication;

/// <summary>The rate of key exchanges before authentication, per source and per subnet (the log alone, time passed in).</summary>
public class RateLimitingKeyExchanges
{
    private static readonly SshServerOptions Shipped = new();

    private static PreAuthKeyExchangeLog Made(int count, Func<int, string> source, double atSeconds = 0)
    {
        var log = new PreAuthKeyExchangeLog(Shipped);
        for (var i = 0; i < count; i++)
        {
            Assert.Equal(PreAuthRefusal.None, log.Admit(i, IPAddress.Parse(source(i)), TimeSpan.FromSeconds(atSeconds)));
        }

        return log;
    }

    private static PreAuthRefusal Ask(PreAuthKeyExchangeLog log, string source, double nowSeconds = 30) =>
        log.Admit(1_000_000, IPAddress.Parse(source), TimeSpan.FromSeconds(nowSeconds));

    public static TheoryData<string, int, string, double, string> Cases => new()
    {
        // exchanges made at 0 s (count from one address pattern); then who asks, when (s), and the answer as the metric names it
        { "192.0.2.1", 19, "192.0.2.1", 30, "none" },
        { "192.0.2.1", 20, "192.0.2.1", 30, "source_key_exchange_rate" },
        { "192.0.2.1", 20, "::ffff:192.0.2.1", 30, "source_key_exchange_rate" },
        { "192.0.2.1", 20, "192.0.2.2", 30, "none" },
        { "192.0.2.1", 20, "192.0.2.1", 60, "none" },
        { "192.0.2.1", 20, "192.0.2.1", 59.9, "source_key_exchange_rate" },
        { "198.51.100.{0}", 60, "198.51.100.250", 30, "subnet_key_exchange_rate" },
        { "198.51.100.{0}", 59, "198.51.100.250", 30, "none" },
        { "198.51.100.{0}", 60, "198.51.101.1", 30, "none" },
        { "2001:db8:0:1::{0:x}", 60, "2001:db8:0:1:ffff::1", 30, "subnet_key_exchange_rate" },
        { "2001:db8:0:1::{0:x}", 60, "2001:db8:0:2::1", 30, "none" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void A_key_exchange_is_refused_only_over_the_rate_of_its_source_or_subnet(string from, int count, string source, double now, string expected)
    {
        var log = Made(count, i => string.Format(System.Globalization.CultureInfo.InvariantCulture, from, i + 1));

        Assert.Equal(expected, SshMetrics.Tag(Ask(log, source, now)));
    }

    [Fact]
    public void A_refused_exchange_is_not_counted_and_expired_ones_are_forgotten()
    {
        var log = Made(20, _ => "192.0.2.1");

        Assert.Equal(PreAuthRefusal.SourceKeyExchangeRate, Ask(log, "192.0.2.1", 10));
        Assert.Equal(20, log.Count);
        Assert.Equal(PreAuthRefusal.None, Ask(log, "192.0.2.1", 60));
        Assert.Equal(1, log.Count);
    }

    [Fact]
    public void A_connection_that_signs_in_gives_its_exchanges_back()
    {
        var log = new PreAuthKeyExchangeLog(Shipped);
        var source = IPAddress.Parse("192.0.2.1");
        for (var i = 0; i < 20; i++) Assert.Equal(PreAuthRefusal.None, log.Admit(7, source, TimeSpan.FromSeconds(i)));
        Assert.Equal(PreAuthRefusal.SourceKeyExchangeRate, log.Admit(8, source, TimeSpan.FromSeconds(21)));

        log.Forgive(7);

        Assert.Equal(0, log.Count);
        Assert.Equal(PreAuthRefusal.None, log.Admit(8, source, TimeSpan.FromSeconds(22)));
        // Its exchanges expiring later must not be taken off a second time.
        Assert.Equal(PreAuthRefusal.None, log.Admit(9, source, TimeSpan.FromSeconds(70)));
        Assert.Equal(2, log.Count);
    }

    [Fact]
    public void Every_refusal_tells_the_client_to_come_back_later()
    {
        Assert.Contains("try again in a minute", Admission.DescribeRefusal(PreAuthRefusal.SourceKeyExchangeRate));
        Assert.Contains("subnet", Admission.DescribeRefusal(PreAuthRefusal.SubnetKeyExchangeRate));
    }

    [Fact]
    public void Limits_that_cannot_hold_are_refused_at_start()
    {
        Assert.Throws<InvalidOperationException>(() => new SshServerOptions { MaxPreAuthKeyExchangesPerSource = 0 }.Validate());
        Assert.Throws<InvalidOperationException>(() => new SshServerOptions { MaxPreAuthKeyExchangesPerSource = 30, MaxPreAuthKeyExchangesPerSubnet = 10 }.Validate());
        Assert.Throws<InvalidOperationException>(() => new SshServerOptions { PreAuthKeyExchangeWindow = TimeSpan.Zero }.Validate());
    }
}
