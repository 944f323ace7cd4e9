using System.Net;
using Gatehouse.Ssh.PreAuthentication;

namespace Gatehouse.Ssh.Tests.PreAuthentication;

/// <summary>The rate of key exchanges before authentication, per source and per subnet (the decision alone, time passed in).</summary>
public class RateLimitingKeyExchanges
{
    private static readonly SshServerOptions Shipped = new();

    private static List<PreAuthKeyExchange> Made(int count, Func<int, string> source, double atSeconds = 0) =>
        Enumerable.Range(0, count).Select(i => new PreAuthKeyExchange(i, IPAddress.Parse(source(i)), TimeSpan.FromSeconds(atSeconds))).ToList();

    private static PreAuthRefusal Decide(IReadOnlyCollection<PreAuthKeyExchange> recent, string source, double nowSeconds = 30) =>
        UnauthenticatedAdmission.DecideKeyExchange(recent, IPAddress.Parse(source), TimeSpan.FromSeconds(nowSeconds), Shipped);

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
        var made = Made(count, i => string.Format(System.Globalization.CultureInfo.InvariantCulture, from, i + 1));

        Assert.Equal(expected, SshMetrics.Tag(Decide(made, source, now)));
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
