using Gatehouse.SessionBroker.Posture;

namespace Gatehouse.SessionBroker.Tests.Posture;

/// <summary>dpkg's ordering (Debian Policy §5.6.12), the cases <c>dpkg --compare-versions</c> answers the same way.</summary>
public sealed class When_debian_versions_are_compared
{
    [Theory]
    [InlineData("1:9.2p1-2+deb12u2", "1:9.2p1-2+deb12u3")]
    [InlineData("1:9.2p1-2+deb12u9", "1:9.2p1-2+deb12u10")]
    [InlineData("1:9.2p1-2", "1:9.2p1-2+deb12u1")]
    [InlineData("1:8.9p1-3ubuntu0.9", "1:8.9p1-3ubuntu0.10")]
    [InlineData("1:9.6p1-3ubuntu13.3", "1:9.6p1-3ubuntu13.11")]
    [InlineData("9.9p1", "9.9p2")]
    [InlineData("9.8p1", "9.10p1")]
    [InlineData("8.5p1", "9.8p1")]
    [InlineData("1.0~rc1", "1.0")]
    [InlineData("1.0~~", "1.0~")]
    [InlineData("1.0", "1.0a")]
    [InlineData("1.0a", "1.0+")]
    [InlineData("1.0", "1.0.1")]
    [InlineData("9:1.0", "10:0.1")]
    [InlineData("2.0", "1:1.0")]
    [InlineData("1.0-1", "1.0-1.1")]
    [InlineData("1.001", "1.2")]
    public void The_first_is_older(string older, string newer)
    {
        var (a, b) = (DebianVersion.TryParse(older)!, DebianVersion.TryParse(newer)!);
        Assert.True(a < b, $"{older} < {newer}");
        Assert.True(b > a, $"{newer} > {older}");
        Assert.Equal(-1, a.CompareTo(b));
        Assert.Equal(1, b.CompareTo(a));
    }

    [Theory]
    [InlineData("1.0", "1.00")]
    [InlineData("0:1.0", "1.0")]
    [InlineData("1.0-0", "1.0")]
    [InlineData("1:9.2p1-2+deb12u3", "1:9.2p1-2+deb12u3")]
    public void They_are_equal(string left, string right) =>
        Assert.Equal(0, DebianVersion.TryParse(left)!.CompareTo(DebianVersion.TryParse(right)));

    [Fact]
    public void Should_split_epoch_upstream_and_revision_at_the_first_colon_and_last_dash()
    {
        var version = DebianVersion.TryParse("1:2.30-ubuntu-1+b2")!;
        Assert.Equal((1L, "2.30-ubuntu", "1+b2"), (version.Epoch, version.Upstream, version.Revision));
        Assert.Equal("1:2.30-ubuntu-1+b2", version.ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("abc")]
    [InlineData("x:1.0")]
    [InlineData("1.0-")]
    [InlineData("1.0 beta")]
    [InlineData("1:")]
    [InlineData("1.0_1")]
    public void What_is_not_a_version_is_refused(string text) => Assert.Null(DebianVersion.TryParse(text));
}
