using System.Diagnostics;
using Gatehouse.Cli;
using Gatehouse.TestSupport;

namespace Gatehouse.Authentication.Tests.Cli;

/// <summary>
/// Values the CLI reads itself: durations in the forms operators type, and every refusal in their words (the option,
/// the value, what works), never a .NET type name. Run without any service: these are answered before a call.
/// </summary>
public sealed class When_an_operator_types_what_the_cli_cannot_use
{
    [Theory]
    [InlineData("2h", 120)]
    [InlineData("30m", 30)]
    [InlineData("1d", 1440)]
    [InlineData("45s", 0.75)]
    [InlineData("1h30m", 90)]
    [InlineData("02:00:00", 120)]
    [InlineData("1.02:00:00", 1560)]
    public void Durations_read_as_operators_write_them(string typed, double minutes)
    {
        var root = CliRoot.Build(new CliContext());

        var grant = root.Parse(["grants", "issue", "--user", "alice", "--login", "deploy", "--max-session", typed]);
        var request = root.Parse(["access-requests", "request", "web01", "--login", "deploy", "--duration", typed, "--reason", "r"]);

        Assert.Empty(grant.Errors);
        Assert.Equal(TimeSpan.FromMinutes(minutes), grant.GetValue<TimeSpan?>("--max-session"));
        Assert.Empty(request.Errors);
        Assert.Equal(TimeSpan.FromMinutes(minutes), request.GetValue<TimeSpan>("--duration"));
    }

    [Theory]
    [InlineData("2x")]
    [InlineData("2")]
    [InlineData("-1h")]
    [InlineData("0m")]
    [InlineData("h")]
    public async Task A_value_that_is_no_duration_is_refused_with_the_forms_that_work(string typed)
    {
        var (exit, _, error) = await InProcessCli.RunLocallyAsync("grants", "issue", "--user", "alice", "--login", "deploy", "--max-session", typed);

        Assert.NotEqual(0, exit);
        Assert.Contains($"--max-session: '{typed}' is not a duration; use forms like 30m, 2h, 1d", error);
    }

    [Theory]
    [InlineData("--expires: 'tomorrow' is not a time; use ISO 8601", "grants", "issue", "--user", "a", "--login", "b", "--expires", "tomorrow")]
    [InlineData("<id>: 'nope' is not an id", "grants", "revoke", "nope", "--reason", "r")]
    [InlineData("<alert-id>: '42' is not an id", "alerts", "ack", "42", "--note", "n")]
    [InlineData("--limit: 'ten' is not a whole number", "audit", "events", "--limit", "ten")]
    [InlineData("--from: 'monday' is not a time", "audit", "events", "--from", "monday")]
    [InlineData("--port: 'ssh' is not a whole number", "targets", "add", "web01", "--address", "10.0.0.5", "--login", "deploy", "--port", "ssh")]
    [InlineData("--duration: '2 hours' is not a duration", "access-requests", "request", "web01", "--login", "d", "--duration", "2 hours", "--reason", "r")]
    public async Task A_value_of_the_wrong_kind_is_refused_in_the_operators_words(string expected, params string[] args)
    {
        var (exit, _, error) = await InProcessCli.RunLocallyAsync(args);

        Assert.NotEqual(0, exit);
        Assert.Contains(expected, error);
        Assert.DoesNotContain("System.", error);
        Assert.DoesNotContain("expected type", error);
    }

    [Fact]
    public async Task Should_refuse_a_private_key_given_as_the_public_one_before_it_is_sent()
    {
        var directory = Directory.CreateTempSubdirectory("gatehouse-add-key-").FullName;
        try
        {
            var key = Path.Combine(directory, "id_ed25519");
            using (var keygen = Process.Start("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", "bob@laptop", "-f", key])!)
            {
                await keygen.WaitForExitAsync();
            }

            // The CLI's own words: a key that reached the service would come back as "Cannot reach ..." or "Failed (400): ...".
            var (exit, _, error) = await InProcessCli.RunLocallyAsync("users", "add-key", "bob", key);

            Assert.Equal(1, exit);
            Assert.Equal($"{key} is a private key, which stays with its owner: give the public key (the .pub file, here {key}.pub).", error.Trim());
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
