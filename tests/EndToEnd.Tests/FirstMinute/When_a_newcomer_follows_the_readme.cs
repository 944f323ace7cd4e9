using System.Text.RegularExpressions;
using Gatehouse.Cli;
using Gatehouse.TestSupport;

namespace Gatehouse.EndToEnd.Tests.FirstMinute;

/// <summary>
/// Every <c>gatehouse ...</c> line the README shows is a command the CLI has (the README once told operators to run
/// <c>gatehouse alerts acknowledge</c>, which did not exist), and the README spells the CLI one way.
/// </summary>
public sealed partial class When_a_newcomer_follows_the_readme
{
    private static readonly string Readme = File.ReadAllText(Path.Combine(Infrastructure.RepositoryRoot, "README.md"));

    public static TheoryData<string> CommandLines()
    {
        var lines = new TheoryData<string>();
        var inCode = false;
        foreach (var raw in Readme.Split('\n'))
        {
            var line = raw.Trim();
            if (line.StartsWith("```", StringComparison.Ordinal))
            {
                inCode = !inCode;
                continue;
            }

            // A command may follow others on its line: "export X=...; gatehouse ...".
            if (inCode && CommandStart().Match(line) is { Success: true } start)
            {
                lines.Add(line[start.Index..]);
            }
        }

        return lines;
    }

    [Fact]
    public void Should_find_commands_in_the_readme()
    {
        Assert.True(CommandLines().Count >= 20, "the README's gatehouse lines were not found");
    }

    [Theory]
    [MemberData(nameof(CommandLines))]
    public async Task Should_find_that_the_command_exists(string line)
    {
        // The command path: the words before the first option, placeholder, file or other value that is no name.
        var path = line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).TakeWhile(w => CommandWord().IsMatch(w)).ToArray();

        // --help answers even past a word the CLI does not know, so the words are also parsed without it.
        var unknown = CliRoot.Build(new CliContext()).Parse(path).UnmatchedTokens;
        var (exit, output, _) = await InProcessCli.RunLocallyAsync([.. path, "--help"]);

        Assert.True(unknown.Count == 0, $"'{line}': gatehouse has no command '{string.Join(' ', path)}' (unknown: {string.Join(' ', unknown)})");
        Assert.Equal(0, exit);
        Assert.Contains("Usage:", output);
    }

    [Fact]
    public void Should_find_the_cli_spelt_one_way_in_the_readme()
    {
        Assert.DoesNotContain("gatehouse.dll", Readme);
        Assert.DoesNotContain("dotnet run --project tools/Gatehouse.Cli", Readme);
    }

    [GeneratedRegex(@"(^|[;&|]\s*)gatehouse (?=[a-z])")]
    private static partial Regex CommandStart();

    [GeneratedRegex(@"^[a-z][a-z0-9-]*$")]
    private static partial Regex CommandWord();
}
