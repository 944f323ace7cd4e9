using System.Text;
using Gatehouse.SessionBroker.Commands;

namespace Gatehouse.SessionBroker.Tests.Commands;

public sealed class When_keys_are_typed_at_a_shell
{
    private static IReadOnlyList<TypedLine> Type(string keys, TypedLineTracker? tracker = null) =>
        (tracker ?? new TypedLineTracker()).Feed(Encoding.UTF8.GetBytes(keys)).OfType<LineSubmitted>().Select(s => s.Line).ToList();

    private static IReadOnlyList<TypedStep> Strictly(string keys, TypedLineTracker? tracker = null) =>
        (tracker ?? new TypedLineTracker(refuseUnfollowed: true)).Feed(Encoding.UTF8.GetBytes(keys));

    private const string ClearLine = "\x05\x15";

    /// <summary>What the target was sent: followed keys, Enter for a submitted line, what empties a refused one.</summary>
    private static string Sent(IEnumerable<TypedStep> steps) => string.Concat(steps.Select(s => s switch
    {
        KeysTyped k => Encoding.UTF8.GetString(k.Bytes),
        LineSubmitted l => Encoding.UTF8.GetString(l.Enter),
        LineCancelled c => Encoding.UTF8.GetString(c.Cancel),
        _ => throw new InvalidOperationException(),
    }));

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
    public void Should_abandon_the_line_on_Ctrl_C()
    {
        var line = Assert.Single(Type("rm -rf /\x03ls\r"));
        Assert.Equal("ls", line.Text);
    }

    [Fact]
    public void Should_take_a_bracketed_paste_as_one_submission_with_its_newlines()
    {
        var line = Assert.Single(Type("\x1b[200~ls\rrm -rf /tmp/x\x1b[201~\r"));
        Assert.Equal("ls\nrm -rf /tmp/x", line.Text);
    }

    [Fact]
    public void Should_join_keys_split_across_packets()
    {
        var tracker = new TypedLineTracker();
        Assert.Empty(Type("ec", tracker));
        Assert.Empty(Type("ho \x1b[", tracker));
        Assert.Empty(Type("Dx", tracker));
        Assert.Equal("echox ", Assert.Single(Type("\r", tracker)).Text);
    }

    [Fact]
    public void Should_recall_this_sessions_previous_line_on_up_arrow()
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
    public void Should_not_take_empty_lines_for_commands()
    {
        Assert.All(Type("\r\r   \r"), l => Assert.Equal("", l.Text));
    }

    [Fact]
    public void Should_bound_an_endless_line()
    {
        var line = Assert.Single(Type(new string('a', 200_000) + "\r"));
        Assert.Equal(64 * 1024, line.Text.Length);
    }

    [Theory]
    [InlineData("rm -rf /tm\t", "Tab (completion)")]
    [InlineData("\x1b[A", "history (Up/Down/PgUp/PgDn)")]
    [InlineData("ls\x1b[B", "history (Up/Down/PgUp/PgDn)")]
    [InlineData("\x1b[5~", "history (Up/Down/PgUp/PgDn)")]
    [InlineData("\x10", "history (Ctrl-P/Ctrl-N)")]
    [InlineData("ls\x12", "reverse or forward search (Ctrl-R/Ctrl-S)")]
    [InlineData("ls\x13", "reverse or forward search (Ctrl-R/Ctrl-S)")]
    [InlineData("\x19", "Ctrl-Y")]
    [InlineData("mr\x14", "Ctrl-T")]
    [InlineData("ls\x1f", "Ctrl-_")]
    [InlineData("ls\x18", "Ctrl-X")]
    [InlineData("ls\u001bl", "Esc-l (a meta key)")]
    [InlineData("ls\u001bd", "Esc-d (a meta key)")]
    [InlineData("ls \x16", "Ctrl-V")]
    [InlineData("ls\x0f", "Ctrl-O")]
    [InlineData("ls\x04", "Ctrl-D within a line")]
    [InlineData("ls\x1b[1;5D", "the escape sequence ESC[1;5D")]
    [InlineData("ls\x1bOP", "the escape sequence ESCOP")]
    [InlineData("ls\x1b[201~", "the end of a paste that never started")]
    [InlineData("\x1b[200~ls\rrm -rf x\x1b[201~", "a paste of several lines")]
    [InlineData("\x1b[200~ls \x15rm\x1b[201~", "a paste holding Ctrl-U")]
    [InlineData("\x1b[200~ls\x1b[200~x\x1b[201~", "an escape sequence in a paste")]
    public void Under_a_policy_a_key_it_cannot_follow_is_withheld_and_the_line_refused(string keys, string key)
    {
        var steps = Strictly(keys + "\r");

        var refused = Assert.Single(steps.OfType<LineCancelled>());
        Assert.Equal(key, refused.Key);
        Assert.Contains(key, refused.Message);
        Assert.All(steps.OfType<LineSubmitted>(), s => Assert.Equal("", s.Line.Text));
        // The target had the keys before the refused one, then the line emptied (a paste ended first); the Enter after
        // it submits an empty line.
        var sent = Sent(steps);
        Assert.EndsWith(ClearLine + "\r", sent);
        var before = sent[..^3].Replace("\x1b[201~", "", StringComparison.Ordinal);
        Assert.StartsWith(before, keys);
        Assert.True(before.Length < keys.Length);
    }

    [Fact]
    public void Should_cancel_a_refused_line_and_read_what_follows_as_a_new_line()
    {
        var steps = Strictly("rm -rf x\x15\x19ls\r");

        Assert.Equal("rm -rf x\x15" + ClearLine + "ls\r", Sent(steps));
        Assert.Equal("", Assert.Single(steps.OfType<LineCancelled>()).Text);
        Assert.Equal("ls", Assert.Single(steps.OfType<LineSubmitted>()).Line.Text);
    }

    [Fact]
    public void Should_never_let_the_rest_of_a_refused_paste_reach_the_target()
    {
        var steps = Strictly("\x1b[200~echo a\rrm -rf x\r\x1b[201~pwd\r");

        Assert.Equal("\x1b[200~echo a\x1b[201~" + ClearLine + "pwd\r", Sent(steps));
        Assert.Equal("pwd", Assert.Single(steps.OfType<LineSubmitted>()).Line.Text);
    }

    [Fact]
    public void Should_hold_an_escape_sequence_split_across_packets_until_it_is_known()
    {
        var tracker = new TypedLineTracker(refuseUnfollowed: true);

        Assert.Equal("ls", Sent(Strictly("ls\x1b", tracker)));
        Assert.Equal("", Sent(Strictly("[", tracker)));
        Assert.Equal(ClearLine, Sent(Strictly("A", tracker)));
        Assert.Equal("\x1b[D", Sent(Strictly("\x1b[D", tracker)));
    }

    [Fact]
    public void Should_empty_a_refused_line_with_keys_the_shell_reads_in_order_never_an_interrupt()
    {
        // bash keeps the keys it read ahead across an interrupt: with Ctrl-C the target could run "a ...; rm -rf x"
        // cut anywhere in the padding, and the Enter that followed (an empty line to the gateway) would run it.
        var steps = Strictly("a      ; rm -rf x\t\r");

        Assert.Equal("a      ; rm -rf x" + ClearLine + "\r", Sent(steps));
        Assert.DoesNotContain('\x03', Sent(steps));
        Assert.Equal(ClearLine, Encoding.ASCII.GetString(Assert.Single(steps.OfType<LineSubmitted>()).Cancel));
    }

    [Fact]
    public void Should_empty_a_typed_line_on_Ctrl_C_under_a_policy_and_interrupt_on_an_empty_line()
    {
        var steps = Strictly("a      ; rm -rf x\x03\rsleep 9\r\x03");

        Assert.Equal("a      ; rm -rf x" + ClearLine + "\rsleep 9\r\x03", Sent(steps));
        Assert.Equal(["", "sleep 9"], steps.OfType<LineSubmitted>().Select(s => s.Line.Text));
        Assert.Equal("rm -rf /\x03", Sent(new TypedLineTracker().Feed(Encoding.UTF8.GetBytes("rm -rf /\x03"))));
    }

    [Fact]
    public void Should_end_the_paste_on_the_target_at_a_refusal_in_it_and_say_the_rest_is_dropped()
    {
        var refused = Assert.Single(Strictly("\x1b[200~rm -rf x\recho\r").OfType<LineCancelled>());

        Assert.Equal("\x1b[201~" + ClearLine, Encoding.ASCII.GetString(refused.Cancel));
        Assert.Contains("the rest of the paste is dropped up to its end (Ctrl-C stops waiting for it)", refused.Message);
    }

    [Fact]
    public void Should_keep_with_the_gateway_a_Ctrl_C_that_stops_waiting_for_the_end_of_a_refused_paste()
    {
        var steps = Strictly("\x1b[200~rm -rf x\r\u0003echo ok\r");

        Assert.Equal("\x1b[200~rm -rf x" + "\x1b[201~" + ClearLine + "echo ok\r", Sent(steps));
        Assert.Equal("echo ok", Assert.Single(steps.OfType<LineSubmitted>()).Line.Text);
    }

    [Theory]
    [InlineData("true && rn\x7fm -rf x\r", "true && rm -rf x")]
    [InlineData("rm -rf /tmp\x15ls\x1b[D\x1b[Dx\x1b[3~\x01sudo \x05 -l\x0c\r", "sudo xs -l")]
    [InlineData("\x1b[200~echo 'pasted text'\x1b[201~\r", "echo 'pasted text'")]
    [InlineData("echo abcdef\x1b[D\x1b[D\x1b[D\x0b\x17x\x02\x06\r", "echo x")]
    public void Under_a_policy_ordinary_editing_is_followed_and_passed_on_as_typed(string keys, string expected)
    {
        var steps = Strictly(keys);

        Assert.Equal(expected, Assert.Single(steps.OfType<LineSubmitted>()).Line.Text);
        Assert.Empty(steps.OfType<LineCancelled>());
        Assert.Equal(keys, Sent(steps));
    }

    [Fact]
    public void Should_refuse_a_line_beyond_the_buffer_under_a_policy()
    {
        var steps = Strictly(new string('a', TypedLineTracker.MaxLineLength + 1) + "\r");

        Assert.Equal("a line longer than 64 KiB", Assert.Single(steps.OfType<LineCancelled>()).Key);
        Assert.Equal("", Assert.Single(steps.OfType<LineSubmitted>()).Line.Text);
    }

    [Fact]
    public void Should_refuse_bytes_that_are_not_utf8_under_a_policy()
    {
        var steps = new TypedLineTracker(refuseUnfollowed: true).Feed([(byte)'l', 0xff, (byte)'s', (byte)'\r']);

        Assert.Equal("a byte that is not UTF-8", Assert.Single(steps.OfType<LineCancelled>()).Key);
        Assert.Equal("s", Assert.Single(steps.OfType<LineSubmitted>()).Line.Text);
    }
}
