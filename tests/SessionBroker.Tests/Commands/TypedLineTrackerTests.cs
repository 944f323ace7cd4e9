using System.Text;
using Gatehouse.SessionBroker.Commands;

namespace Gatehouse.SessionBroker.Tests.Commands;

public sealed class TypedLineTrackerTests
{
    private static IReadOnlyList<TypedLine> Type(string keys, TypedLineTracker? tracker = null) =>
        (tracker ?? new TypedLineTracker()).Feed(Encoding.UTF8.GetBytes(keys));

    [Theory]
    [InlineData("ls -l\r", "ls -l")]
    [InlineData("lss\x7f -l\r", "ls -l")]
    [InlineData("rm -rf /tmp\x15ls\r", "ls")]
    [InlineData("echo hello world\x17there\r", "echo hello there")]
    [InlineData("ls\x1b[D\x1b[Dx\r", "xls")]
    [InlineData("ls -l\x01sudo \r", "sudo ls -l")]
    [InlineData("abc\x1b[H\x1b[3~\r", "bc")]
    [InlineData("echo abcdef\x1b[D\x1b[D\x1b[D\x0b\r", "echo abc")]
    [InlineData("echo ünïcødé\r", "echo ünïcødé")]
    public void Line_editing_keys_are_applied(string keys, string expected)
    {
        var line = Assert.Single(Type(keys));
        Assert.Equal(expected, line.Text);
        Assert.False(line.Uncertain);
    }

    [Fact]
    public void Ctrl_C_abandons_the_line()
    {
        var line = Assert.Single(Type("rm -rf /\x03ls\r"));
        Assert.Equal("ls", line.Text);
    }

    [Fact]
    public void A_bracketed_paste_is_one_submission_with_its_newlines()
    {
        var line = Assert.Single(Type("\x1b[200~ls\rrm -rf /tmp/x\x1b[201~\r"));
        Assert.Equal("ls\nrm -rf /tmp/x", line.Text);
    }

    [Fact]
    public void Keys_split_across_packets_are_joined()
    {
        var tracker = new TypedLineTracker();
        Assert.Empty(Type("ec", tracker));
        Assert.Empty(Type("ho \x1b[", tracker));
        Assert.Empty(Type("Dx", tracker));
        Assert.Equal("echox ", Assert.Single(Type("\r", tracker)).Text);
    }

    [Fact]
    public void Up_arrow_recalls_this_sessions_previous_line()
    {
        var tracker = new TypedLineTracker();
        Type("make deploy\r", tracker);
        var recalled = Assert.Single(Type("\x1b[A\r", tracker));
        Assert.Equal("make deploy", recalled.Text);
        Assert.False(recalled.Uncertain);
    }

    [Theory]
    [InlineData("rm -rf /tm\t\r")]
    [InlineData("\x1b[A\r")]
    [InlineData("\u0012deploy\r")]
    public void Completion_and_history_the_gateway_cannot_see_make_the_line_uncertain(string keys)
    {
        Assert.True(Assert.Single(Type(keys)).Uncertain);
    }

    [Fact]
    public void Empty_lines_are_not_commands()
    {
        Assert.Empty(Type("\r\r   \r"));
    }

    [Fact]
    public void An_endless_line_is_bounded()
    {
        var line = Assert.Single(Type(new string('a', 200_000) + "\r"));
        Assert.Equal(64 * 1024, line.Text.Length);
    }
}
