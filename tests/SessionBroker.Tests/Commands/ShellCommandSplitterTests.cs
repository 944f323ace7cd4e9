using Gatehouse.SessionBroker.Commands;

namespace Gatehouse.SessionBroker.Tests.Commands;

public sealed class ShellCommandSplitterTests
{
    [Theory]
    [InlineData("ls -l", new[] { "ls -l" })]
    [InlineData("ls; rm -rf /tmp/x", new[] { "ls", "rm -rf /tmp/x" })]
    [InlineData("a && b || c | d & e", new[] { "a", "b", "c", "d", "e" })]
    [InlineData("make |& tee log", new[] { "make", "tee log" })]
    [InlineData("ls\nrm x", new[] { "ls", "rm x" })]
    [InlineData("(cd /tmp && rm x)", new[] { "cd /tmp", "rm x" })]
    [InlineData("{ ls; rm x; }", new[] { "ls", "rm x" })]
    [InlineData("ls 2>&1 | grep x", new[] { "ls 2>&1", "grep x" })]
    [InlineData("ls &>/dev/null", new[] { "ls &>/dev/null" })]
    [InlineData("echo 'a; rm -rf /'", new[] { "echo a; rm -rf /" })]
    [InlineData("echo a\\;b", new[] { "echo a;b" })]
    [InlineData("ls # rm -rf /", new[] { "ls" })]
    [InlineData("echo $((1+2))", new[] { "echo $((1+2))" })]
    public void Separators_groups_and_quotes_split_as_the_shell_would(string line, string[] expected)
    {
        Assert.Equal(expected, ShellCommandSplitter.Split(line).Select(c => c.Normalized));
    }

    [Theory]
    [InlineData("echo $(rm -rf /)")]
    [InlineData("echo `rm -rf /`")]
    [InlineData("echo \"$(rm -rf /)\"")]
    [InlineData("echo \"`rm -rf /`\"")]
    [InlineData("x=$(echo $(rm -rf /))")]
    [InlineData("bash -c 'rm -rf /'")]
    [InlineData("/bin/sh -xc \"ls; rm -rf /\"")]
    [InlineData("eval 'rm -rf /'")]
    [InlineData("sudo bash -c 'rm -rf /'")]
    [InlineData("r''m -rf /")]
    [InlineData("\"rm\" -rf /")]
    [InlineData("r\\m -rf /")]
    public void A_command_hidden_in_a_compound_line_is_found(string line)
    {
        Assert.Contains(ShellCommandSplitter.Split(line), c => c.Normalized == "rm -rf /" || c.Normalized.EndsWith(" rm -rf /"));
    }

    [Fact]
    public void Absurd_nesting_is_kept_whole_rather_than_skipped()
    {
        var line = string.Concat(Enumerable.Repeat("$(", 40)) + "rm -rf /" + new string(')', 40);
        Assert.NotEmpty(ShellCommandSplitter.Split(line));
    }

    [Fact]
    public void Unterminated_quotes_and_substitutions_do_not_throw()
    {
        foreach (var line in new[] { "echo 'abc", "echo \"abc", "echo $(ls", "echo `ls", "\\", "(", ")", "}" })
        {
            ShellCommandSplitter.Split(line);
        }
    }
}
