namespace Gatehouse.Shell.Tests.Reading;

public sealed class ShellReaderTests
{
    private static string[] Commands(string line) => ShellReader.Read(line).Commands.Select(c => c.Normalized).ToArray();

    private static string[] Words(string line) =>
        ShellReader.Read(line).Commands.Last().Arguments.Select(a => a.Value ?? "<" + a.Typed + ">").ToArray();

    [Theory]
    [InlineData("ls -l", new[] { "ls -l" })]
    [InlineData("ls; rm x", new[] { "ls", "rm x" })]
    [InlineData("a && b || c | d & e", new[] { "a", "b", "c", "d", "e" })]
    [InlineData("make |& tee log", new[] { "make", "tee log" })]
    [InlineData("ls\nrm x", new[] { "ls", "rm x" })]
    [InlineData("(cd /tmp && rm x)", new[] { "cd /tmp", "rm x" })]
    [InlineData("{ ls; rm x; }", new[] { "ls", "rm x" })]
    [InlineData("ls 2>&1 | grep x", new[] { "ls", "grep x" })]
    [InlineData("ls &>/dev/null", new[] { "ls" })]
    [InlineData(">out 2>&1 <in ls -l", new[] { "ls -l" })]
    [InlineData("{fd}>file ls", new[] { "ls" })]
    [InlineData("FOO=1 BAR=\"a b\" env", new[] { "env" })]
    [InlineData("echo 'a; rm -rf /'", new[] { "echo a; rm -rf /" })]
    [InlineData("echo a\\;b", new[] { "echo a;b" })]
    [InlineData("ls # rm -rf /", new[] { "ls" })]
    [InlineData("echo a#b", new[] { "echo a#b" })]
    [InlineData("if a; then b; elif c; then d; else e; fi", new[] { "a", "b", "c", "d", "e" })]
    [InlineData("for i in x y; do echo $i; done", new[] { "echo $i" })]
    [InlineData("case $x in a|b) one;; (c) two;& *) three;;& esac", new[] { "one", "two", "three" })]
    [InlineData("f() { ls; }", new[] { "ls" })]
    [InlineData("[[ -f a && ( -d b || $(ls) ) ]]", new[] { "ls" })]
    [InlineData("(( i++ ))", new string[0])]
    [InlineData("x=1", new string[0])]
    [InlineData("echo a && if true; then echo b; fi | cat", new[] { "echo a", "true", "echo b", "cat" })]
    public void Lists_pipelines_and_compound_commands_give_each_simple_command(string line, string[] expected)
    {
        Assert.Equal(expected, Commands(line));
    }

    [Theory]
    [InlineData("echo 'single \"quoted\" $x'", new[] { "single \"quoted\" $x" })]
    [InlineData("echo \"double 'quoted' \\$x \\\" \\\\\"", new[] { "double 'quoted' $x \" \\" })]
    [InlineData("echo a\\ b c", new[] { "a b", "c" })]
    [InlineData("echo $'tab\\there\\n\\x41\\101\\u00e9\\'q'", new[] { "tab\there\nAAé'q" })]
    [InlineData("echo $\"hello $'x'\"", new[] { "hello $'x'" })]
    [InlineData("echo ab'cd'\"ef\"", new[] { "abcdef" })]
    [InlineData("echo a\\\nb", new[] { "ab" })]
    [InlineData("echo \"a\\\nb\"", new[] { "ab" })]
    [InlineData("echo '' \"\"", new[] { "", "" })]
    [InlineData("echo {a,b}{1,2}", new[] { "a1", "a2", "b1", "b2" })]
    [InlineData("echo x{1..3}", new[] { "x1", "x2", "x3" })]
    [InlineData("echo {01..03} {c..a}", new[] { "01", "02", "03", "c", "b", "a" })]
    [InlineData("echo {1..7..3}", new[] { "1", "4", "7" })]
    [InlineData("echo {a,{b,c}}", new[] { "a", "b", "c" })]
    [InlineData("echo {a} {} '{a,b}' \\{a,b}", new[] { "{a}", "{}", "{a,b}", "{a,b}" })]
    [InlineData("echo $HOME ${x:-y} $(ls) `ls` $((1+2)) ~ *.c", new[] { "<$HOME>", "<${x:-y}>", "<$(ls)>", "<`ls`>", "<$((1+2))>", "<~>", "<*.c>" })]
    [InlineData("echo a$x \"$y\"b", new[] { "<a$x>", "<\"$y\"b>" })]
    [InlineData("echo [ ] a[b", new[] { "[", "]", "a[b" })]
    public void Words_are_their_values_after_quote_removal_and_brace_expansion(string line, string[] expected)
    {
        Assert.Equal(expected, Words(line));
    }

    [Fact]
    public void Assignments_and_redirections_are_kept_with_their_command()
    {
        var command = ShellReader.Read("LANG=C A='x y' 2>/dev/null sort <in >>'out file' 3>&1 -r").Commands.Single();

        Assert.Equal(["LANG=C", "A=x y"], command.Assignments.Select(a => a.Value));
        Assert.Equal(["2>", "<", ">>", "3>&"], command.Redirections.Select(r => r.Operator));
        Assert.Equal(["/dev/null", "in", "out file", "1"], command.Redirections.Select(r => r.Target.Value));
        Assert.Equal("sort -r", command.Normalized);
    }

    [Fact]
    public void A_word_only_known_when_it_runs_says_whether_it_could_be_an_option()
    {
        var words = ShellReader.Read("rm $x ~/y a$z -$w *.c <(ls)").Commands.Single(c => c.Name == "rm").Arguments;

        Assert.All(words, w => Assert.False(w.IsKnown));
        Assert.Equal([true, false, false, true, true, false], words.Select(w => w.MayStartWithDash));
    }

    [Theory]
    [InlineData("echo $(ls)", "ls", "in command substitution")]
    [InlineData("echo `ls`", "ls", "in command substitution")]
    [InlineData("cat <(ls)", "ls", "in process substitution")]
    [InlineData("echo $(echo $(ls))", "ls", "in command substitution, in command substitution")]
    [InlineData("sudo ls", "ls", "run by sudo")]
    [InlineData("sh -c 'ls'", "ls", "script given to sh -c")]
    [InlineData("echo ls | bash", "ls", "input given to bash")]
    [InlineData("bash <<< ls", "ls", "input given to bash")]
    [InlineData("eval ls", "ls", "eval")]
    [InlineData("sudo sh -c 'env ls'", "ls", "run by env, script given to sh -c, run by sudo")]
    [InlineData("cat <<E\n$(ls)\nE", "ls", "in command substitution, in a here-document")]
    [InlineData("find . -exec ls {} +", "ls", "run by find -exec")]
    public void A_nested_command_says_where_it_was_found(string line, string name, string context)
    {
        var command = ShellReader.Read(line).Commands.Single(c => c.Name == name);

        Assert.Equal(context, command.Context);
    }

    [Theory]
    [InlineData("cat <<EOF\nrm -rf /\nEOF\nls", new[] { "cat", "ls" })]
    [InlineData("cat <<'EOF' | wc -l\n$(rm)\nEOF", new[] { "cat", "wc -l" })]
    [InlineData("cat <<-EOF\n\tx\n\tEOF", new[] { "cat" })]
    [InlineData("cat <<A <<B\na\nA\nb\nB", new[] { "cat" })]
    [InlineData("bash <<EOF\nls \\$HOME\nEOF", new[] { "bash", "ls $HOME" })]
    public void Here_documents_are_read_after_their_line(string line, string[] expected)
    {
        var reading = ShellReader.Read(line);

        Assert.True(reading.IsKnown);
        Assert.Equal(expected, reading.Commands.Select(c => c.Normalized));
    }

    [Fact]
    public void An_unquoted_here_document_given_to_a_shell_with_an_expansion_is_not_read_as_a_script()
    {
        var bash = ShellReader.Read("bash <<EOF\n$CMD\nEOF").Commands.Single();

        Assert.Equal("bash reads commands from its input, which the gateway cannot read", bash.RunsUncheckedInput);
    }

    [Theory]
    [InlineData("echo 'abc", "a single quote is not closed")]
    [InlineData("echo \"abc", "a double quote is not closed")]
    [InlineData("echo `ls", "a backquote is not closed")]
    [InlineData("echo $(ls", "a $( command substitution is not closed by ')'")]
    [InlineData("ls \\", "the line ends with a backslash")]
    [InlineData("ls |", "the line ends with an operator that needs a command after it")]
    [InlineData("if true; then ls", "'if' is not closed by 'fi'")]
    [InlineData("for x in a; do", "'for' is not closed by 'done'")]
    [InlineData("case x in a) ls;;", "'case' is not closed by 'esac'")]
    [InlineData("cat <<EOF\nabc", "the here-document ending with 'EOF' is still open")]
    [InlineData("( ls", "a '(' subshell is not closed")]
    public void An_incomplete_line_says_what_the_shell_waits_for(string line, string reason)
    {
        Assert.Equal(reason, ShellReader.Read(line).Incomplete);
    }

    [Theory]
    [InlineData("$CMD x", "the program name comes from the expansion $CMD, only known when it runs")]
    [InlineData("r?m x", "a glob in the program name (r?m) picks the program from the files on the target")]
    [InlineData("echo !!", "history expansion (!!) replaces text from earlier commands")]
    [InlineData("sh -c \"$S\"", "the script given to sh -c comes from the expansion $S, only known when it runs")]
    [InlineData("fi", "the shell would reject this line (syntax error near 'fi')")]
    [InlineData("sh -c 'echo \"'", "the script given to sh -c is incomplete: a double quote is not closed")]
    public void What_cannot_be_known_is_named(string line, string reason)
    {
        Assert.Contains(reason, ShellReader.Read(line).Unknowables);
    }

    [Theory]
    [InlineData("echo hi!")]
    [InlineData("echo \"hi!\"")]
    [InlineData("[[ a != b ]]")]
    [InlineData("! true")]
    [InlineData("echo 'a!b'")]
    [InlineData("echo a\\!b")]
    public void An_exclamation_mark_that_bash_does_not_expand_is_fine(string line)
    {
        Assert.True(ShellReader.Read(line).IsKnown);
    }

    [Theory]
    [InlineData("bash")]
    [InlineData("sudo -i")]
    [InlineData("su - root")]
    [InlineData("sh -s")]
    public void A_shell_reading_input_the_gateway_does_not_check_runs_unchecked_input(string line)
    {
        Assert.All(ShellReader.Read(line).Commands, c => Assert.Null(c.RunsUncheckedInput));
        Assert.Contains(ShellReader.Read(line, inputIsChecked: false).Commands, c => c.RunsUncheckedInput is not null);
    }

    [Fact]
    public void Absurd_nesting_is_refused_rather_than_followed()
    {
        var line = string.Concat(Enumerable.Repeat("$(", 200)) + "rm -rf /" + new string(')', 200);

        Assert.Contains("the line nests commands too deeply to follow", ShellReader.Read(line).Unknowables);
    }

    [Theory]
    [InlineData("[")]
    [InlineData("{")]
    [InlineData("{a,")]
    [InlineData("$(")]
    [InlineData("(")]
    [InlineData("'a' ")]
    [InlineData("\\")]
    [InlineData("a=(")]
    [InlineData("<<E ")]
    [InlineData("!x ")]
    [InlineData("${")]
    [InlineData("`")]
    [InlineData("x; ")]
    [InlineData("if ")]
    public void A_very_long_line_is_read_in_linear_time(string repeated)
    {
        var line = string.Concat(Enumerable.Repeat(repeated, 100_000 / repeated.Length));
        var started = System.Diagnostics.Stopwatch.StartNew();

        _ = ShellReader.Read(line);

        // Generous: linear reading takes milliseconds; a quadratic one would take minutes.
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(10), $"took {started.Elapsed}");
    }

    [Fact]
    public void A_huge_brace_expansion_is_refused()
    {
        Assert.Contains(ShellReader.Read("echo {1..100000}").Unknowables, u => u.Contains("brace expansion"));
    }

    [Fact]
    public void Random_lines_of_shell_punctuation_never_throw()
    {
        const string alphabet = " \t\n;&|()<>{}[]$'\"\\`!#*?=~-+@:%^,./0123rmfi ";
        var random = new Random(16);
        var policies = new CommandPolicySet([new CommandRule("r", "rm -r -f", CommandRuleForm.Command, CommandRuleAction.Deny)]);
        for (var i = 0; i < 50_000; i++)
        {
            var line = new string(Enumerable.Range(0, random.Next(1, 48)).Select(_ => alphabet[random.Next(alphabet.Length)]).ToArray());

            _ = policies.Evaluate(ShellReader.Read(line));
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("\\")]
    [InlineData("(")]
    [InlineData(")")]
    [InlineData("}")]
    [InlineData("$")]
    [InlineData("$(")]
    [InlineData("${")]
    [InlineData("$((")]
    [InlineData("<<")]
    [InlineData("a=(")]
    [InlineData("case")]
    [InlineData("[[")]
    [InlineData("'")]
    [InlineData("`")]
    [InlineData("$'\\")]
    [InlineData("echo {")]
    [InlineData("ls >")]
    [InlineData(";;")]
    [InlineData("coproc")]
    [InlineData("function")]
    public void Malformed_lines_never_throw(string line)
    {
        _ = ShellReader.Read(line);
    }
}
