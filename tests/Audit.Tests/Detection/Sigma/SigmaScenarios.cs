using Gatehouse.Audit.Detection.Sigma;
using Gatehouse.Contracts;
using Gatehouse.Shell;

namespace Gatehouse.Audit.Tests.Detection.Sigma;

/// <summary>Rules written inline and the events they are tried on, as the gateway would record them.</summary>
public static class SigmaScenarios
{
    public static readonly DateTimeOffset Now = new(2026, 12, 4, 10, 0, 0, TimeSpan.Zero);

    /// <summary>A rule of <paramref name="category"/> with <paramref name="detection"/> (YAML lines, indented under detection:).</summary>
    public static SigmaRule Rule(string category, string detection, string extra = "") => SigmaRule.Parse(RuleText(category, detection, extra), "inline.yml");

    public static string RuleText(string category, string detection, string extra = "", string id = "7d0e3f6a-0000-4000-8000-000000000001") => $"""
        title: Test rule
        id: {id}
        level: high
        {extra}
        logsource:
          product: gatehouse
          category: {category}
        detection:
        {detection}
        """;

    /// <summary>The simple commands the gateway's shell reader finds in the line, as CommandExecuted carries them.</summary>
    public static IReadOnlyList<ShellCommand> Read(string line) =>
        ShellReader.Read(line).Commands.Select(c => new ShellCommand(c.Name, c.Arguments.Select(a => a.ToString()).ToList())).ToList();

    public static CommandExecuted Command(string line, string user = "alice", string target = "web01", Guid? session = null) =>
        new(session ?? Guid.NewGuid(), 1, user, target, "root", line, CommandCapture.InteractiveLine, user, "10.0.0.5", "corr", Guid.NewGuid(), Now,
            Read(line));

    public static CommandBlocked Blocked(string line, string user = "alice") =>
        new(Guid.NewGuid(), 1, user, "web01", "root", line, line, Guid.NewGuid(), "no-shells", CommandPolicyAction.Deny, CommandCapture.InteractiveLine,
            user, "10.0.0.5", "corr", Guid.NewGuid(), Now, Read(line));

    public static LoginFailed Failed(string user, string source = "203.0.113.7") =>
        new(user, "password", LoginFailureReason.WrongPassword, null, user, source, "corr", Guid.NewGuid(), Now);

    public static LoginSucceeded Login(string user, string source = "203.0.113.7") =>
        new(user, "publickey,keyboard-interactive", "SHA256:abc", user, source, "corr", Guid.NewGuid(), Now);

    public static SftpFileOperation File(SftpOperation operation, string path, string? newPath = null) =>
        new(Guid.NewGuid(), 1, "alice", "web01", "root", operation, path, newPath, "alice", "10.0.0.5", "corr", Guid.NewGuid(), Now);

    public static bool Fires(this SigmaRule rule, IAccessEvent accessEvent) => new SigmaRuleSet([rule]).Matching(accessEvent).Any();
}
