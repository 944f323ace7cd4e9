using System.Text;
using Gatehouse.SessionBroker.Commands;

namespace Gatehouse.SessionBroker.Tests.Commands;

public sealed class When_shell_input_is_read_line_by_line
{
    private static IReadOnlyList<ShellInputStep> Read(string input, bool checkedWhole = true)
    {
        var lines = new ShellInputLines(checkedWhole);
        return [.. lines.Feed(Encoding.UTF8.GetBytes(input)), .. lines.End()];
    }

    [Fact]
    public void Should_not_take_control_bytes_for_editing_keys_and_refuse_a_line_holding_one()
    {
        var steps = Read("ls\nrm -rf x; : \x15\necho done\n");

        Assert.Equal("ls", Assert.IsType<ShellInput>(steps[0]).Text);
        var refused = Assert.IsType<ShellInputRefused>(steps[1]);
        Assert.Equal("rm -rf x; : \x15", refused.Text);
        Assert.Contains("U+0015", refused.Message);
        Assert.Equal("echo done", Assert.IsType<ShellInput>(steps[2]).Text);
    }

    [Fact]
    public void Should_read_a_paste_marker_as_just_bytes_in_a_line_that_do_not_change_how_later_lines_are_read()
    {
        var steps = Read("\x1b[200~ls\nrm -rf x\n");

        Assert.IsType<ShellInputRefused>(steps[0]);
        Assert.Equal("rm -rf x", Assert.IsType<ShellInput>(steps[1]).Text);
    }

    [Fact]
    public void Should_pass_each_line_on_with_exactly_its_bytes()
    {
        var steps = Read("echo 'a\tb'\ncd /tmp\n");

        Assert.Equal(["echo 'a\tb'\n", "cd /tmp\n"], steps.Cast<ShellInput>().Select(s => Encoding.UTF8.GetString(s.Bytes)));
    }

    [Fact]
    public void Should_hold_a_command_over_several_lines_until_it_is_whole()
    {
        var lines = new ShellInputLines(checkedWhole: true);

        Assert.Empty(lines.Feed("if true; then\n"u8));
        Assert.Empty(lines.Feed("  rm -rf x\n"u8));
        var whole = Assert.IsType<ShellInput>(Assert.Single(lines.Feed("fi\n"u8)));
        Assert.Equal("if true; then\n  rm -rf x\nfi", whole.Text);
        Assert.Empty(lines.Feed("cat <<EOF\nhello\n"u8));
        Assert.Equal("cat <<EOF\nhello\nEOF", Assert.IsType<ShellInput>(Assert.Single(lines.Feed("EOF\n"u8))).Text);
    }

    [Fact]
    public void Should_run_the_last_line_without_a_newline_at_the_end_and_pass_an_open_command_for_checking()
    {
        Assert.Equal("ls", Assert.IsType<ShellInput>(Assert.Single(Read("ls"))).Text);
        Assert.Equal("echo 'open", Assert.IsType<ShellInput>(Assert.Single(Read("echo 'open\n"))).Text);
    }

    [Fact]
    public void Should_refuse_a_line_longer_than_64_KiB_and_resume_reading_after_it()
    {
        var steps = Read(new string('a', ShellInputLines.MaxLength + 10) + "\nls\n");

        Assert.Contains("longer than 64 KiB", Assert.IsType<ShellInputRefused>(steps[0]).Message);
        Assert.Equal("ls", Assert.IsType<ShellInput>(Assert.Single(steps.Skip(1))).Text);
    }

    [Fact]
    public void Should_refuse_bytes_that_are_not_utf8()
    {
        var lines = new ShellInputLines(checkedWhole: true);

        Assert.IsType<ShellInputRefused>(Assert.Single(lines.Feed([(byte)'l', 0xff, (byte)'\n'])));
    }

    [Fact]
    public void Should_pass_every_line_on_as_it_comes_without_a_policy()
    {
        var steps = Read("if true; then\nprintf '\x15'\n", checkedWhole: false);

        Assert.Equal(["if true; then", "printf '\x15'"], steps.Cast<ShellInput>().Select(s => s.Text));
    }
}
