using Gatehouse.SessionBroker.Connecting;

namespace Gatehouse.SessionBroker.Tests.Connecting;

public sealed class When_a_gateway_user_name_is_read
{
    [Theory]
    [InlineData("alice:web01", "alice", "web01", null)]
    [InlineData("alice:deploy@web01", "alice", "web01", "deploy")]
    [InlineData("bob.smith:db-01.prod.example.com", "bob.smith", "db-01.prod.example.com", null)]
    [InlineData("carol:_svc@db01", "carol", "db01", "_svc")]
    public void The_user_name_names_the_user_the_target_and_perhaps_the_login(string value, string user, string target, string? login)
    {
        Assert.True(GatewayUserName.TryParse(value, out var parsed, out _));
        Assert.Equal(new GatewayUserName(user, target, login), parsed);
        Assert.Equal(value, parsed.ToString());
    }

    [Theory]
    [InlineData("alice+web01", "alice", "web01", null)]
    [InlineData("alice+deploy+web01", "alice", "web01", "deploy")]
    [InlineData("Alice+deploy+Web01.prod", "alice", "web01.prod", "deploy")]
    public void A_plus_separates_the_parts_as_well_so_urls_and_rsync_read_the_name_whole(string value, string user, string target, string? login)
    {
        Assert.True(GatewayUserName.TryParse(value, out var parsed, out _));
        Assert.Equal(new GatewayUserName(user, target, login), parsed);
        Assert.False(parsed.JumpOnly);
    }

    [Fact]
    public void Should_read_a_plain_user_name_as_naming_no_target_and_only_carrying_proxy_jump()
    {
        Assert.True(GatewayUserName.TryParse("Alice", out var parsed, out _));
        Assert.Equal(new GatewayUserName("alice", "", null), parsed);
        Assert.True(parsed.JumpOnly);
        Assert.Equal("alice", parsed.ToString());
    }

    [Fact]
    public void Should_compare_user_and_target_in_lower_case()
    {
        Assert.True(GatewayUserName.TryParse("Alice:Web01", out var parsed, out _));
        Assert.Equal(new GatewayUserName("alice", "web01", null), parsed);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("alice:")]
    [InlineData("alice+")]
    [InlineData("+web01")]
    [InlineData("alice++web01")]
    [InlineData("alice+deploy+web01+x")]
    [InlineData("alice+Root+web01")]
    [InlineData("alice+deploy@web01")]
    [InlineData("Alice\n")]
    [InlineData(":web01")]
    [InlineData("1alice:web01")]
    [InlineData("alice:Root@web01")]
    [InlineData("alice:web01:extra")]
    [InlineData("alice:@web01")]
    [InlineData("alice:root@")]
    [InlineData("alice:web 01")]
    [InlineData("alice:web01\n")]
    [InlineData("alice:deploy\n@web01")]
    [InlineData("alice\n:web01")]
    [InlineData("\u212Alice:web01")]
    [InlineData("alice:-oProxyCommand=x")]
    public void Anything_else_is_refused_with_the_syntax(string? value)
    {
        Assert.False(GatewayUserName.TryParse(value, out _, out var error));
        Assert.Contains(GatewayUserName.Syntax, error);
    }

    [Fact]
    public void Should_refuse_a_target_name_longer_than_Authorization_allows()
    {
        Assert.False(GatewayUserName.TryParse("alice:" + new string('a', 64), out _, out _));
    }
}
