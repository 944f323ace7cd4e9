using Gatehouse.SessionBroker.Jumping;

namespace Gatehouse.SessionBroker.Tests.Jumping;

public sealed class When_a_proxyjump_channel_is_opened
{
    [Theory]
    [InlineData("web01", "web01")]
    [InlineData("Web01.Prod", "web01.prod")]
    public void A_target_name_on_port_22_is_served_as_an_inner_connection(string host, string target) =>
        Assert.Equal(target, JumpDestination.Decide(host, 22).Target);

    [Theory]
    [InlineData("web01", 5432u, "reaches a target's SSH service on port 22 only; web01:5432 is refused")]
    [InlineData("::1", 22u, "[::1]:22 is not a target name")]
    [InlineData("web01\n", 22u, "web01?:22 is not a target name")]
    [InlineData("", 22u, "is not a target name")]
    public void Anything_else_is_refused_with_the_reason(string host, uint port, string reason)
    {
        var verdict = JumpDestination.Decide(host, port);

        Assert.Null(verdict.Target);
        Assert.Contains(reason, verdict.Message);
        Assert.StartsWith("gatehouse: ", verdict.Message);
    }
}
