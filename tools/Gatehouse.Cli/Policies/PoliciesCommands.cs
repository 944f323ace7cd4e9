using System.CommandLine;
using System.Net.Http.Json;
using Gatehouse.Cli.Auth;
using Gatehouse.Cli.Targets;

namespace Gatehouse.Cli.Policies;

/// <summary><c>gatehouse policies ...</c>: commands the gateway denies, holds for approval or allows, per target label, access role and API role.</summary>
public sealed class PoliciesCommands : ICommandGroup
{
    public Command Build(CliContext context)
    {
        var policies = new Command("policies", "Command policies the gateway enforces in sessions (admin token required).");
        policies.Subcommands.Add(AuthorizationCalls.Simple(context, "list", "List command policies.", null, (c, _) => c.GetAsync("api/command-policies")));
        policies.Subcommands.Add(Set(context));
        policies.Subcommands.Add(AuthorizationCalls.Simple(context, "remove", "Remove a command policy.", "name",
            (c, n) => c.DeleteAsync($"api/command-policies/{n}")));
        return policies;
    }

    private static Command Set(CliContext context)
    {
        var name = new Argument<string>("name") { Description = "The policy's name, e.g. no-rm-rf" };
        var pattern = new Option<string>("--pattern")
        {
            Description = "What the policy matches, read as --kind says: 'rm -rf *' (glob), '(?i)drop\\s+database' (regex), 'rm -r -f' (command)",
            Required = true,
        };
        var kind = new Option<string>("--kind")
        {
            Description = "glob: text over the line and each command it starts, '*' any run, '?' one character (a glob of a program and "
                + "its options also matches them in any spelling); regex: a .NET regular expression over the same text; command: a program "
                + "and what it must be given, in any order and spelling ('rm -r -f', 'chmod u+s', 'rm -r /etc')",
            DefaultValueFactory = _ => "glob",
        };
        kind.AcceptOnlyFromAmong("glob", "regex", "command");
        var action = new Option<string>("--action")
        {
            Description = "deny; require-approval (refused too: no approval can be given mid-session); allow: let a program the gateway "
                + "cannot see into run under the deny policies ('bash ./deploy.sh', 'python3'); it never lifts a deny",
            Required = true,
        };
        action.AcceptOnlyFromAmong("deny", "require-approval", "allow");
        var labels = AuthorizationCalls.Repeatable("--label", "Only on targets with this label key=value; repeat for several (none: every target)");
        var roles = AuthorizationCalls.Repeatable("--role",
            "Only for members of this access role (gatehouse roles); repeat for several (no --role nor --api-role: everyone)");
        var apiRoles = AuthorizationCalls.Repeatable("--api-role",
            "Only for users holding this API role (admin, approver, soc-analyst, user); repeat for several");
        var command = new Command("set", "Create or replace a command policy.") { name, pattern, kind, action, labels, roles, apiRoles };
        command.SetAction(async (parse, _) =>
        {
            if (AuthorizationCalls.Labels(context, parse.GetValue(labels)) is not { } parsed)
            {
                return 1;
            }

            return await AuthorizationCalls.RunAsync(context, client => client.PutAsJsonAsync(
                $"api/command-policies/{AuthorizationCalls.Escape(parse.GetValue(name))}", new
                {
                    pattern = parse.GetValue(pattern),
                    patternKind = parse.GetValue(kind) switch { "regex" => "Regex", "command" => "Command", _ => "Glob" },
                    action = parse.GetValue(action) switch { "deny" => "Deny", "allow" => "Allow", _ => "RequireApproval" },
                    targetLabels = parsed,
                    roles = parse.GetValue(roles) ?? [],
                    apiRoles = parse.GetValue(apiRoles) ?? [],
                }, ServiceCall.Json));
        });
        return command;
    }
}
