using System.CommandLine;
using System.Net.Http.Json;
using Gatehouse.Cli.Auth;
using Gatehouse.Cli.Targets;

namespace Gatehouse.Cli.Policies;

/// <summary><c>gatehouse policies ...</c>: commands the gateway denies or holds for approval, per target label and role.</summary>
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
        var pattern = new Option<string>("--pattern") { Description = "A glob over the whole command line ('rm -rf *'), or a regex with --regex", Required = true };
        var regex = new Option<bool>("--regex") { Description = "The pattern is a .NET regular expression" };
        var action = new Option<string>("--action") { Description = "deny or require-approval", Required = true };
        action.AcceptOnlyFromAmong("deny", "require-approval");
        var labels = AuthorizationCalls.Repeatable("--label", "Only on targets with this label key=value; repeat for several (none: every target)");
        var roles = AuthorizationCalls.Repeatable("--role", "Only for users holding this role; repeat for several (none: everyone)");
        var command = new Command("set", "Create or replace a command policy.") { name, pattern, regex, action, labels, roles };
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
                    patternKind = parse.GetValue(regex) ? "Regex" : "Glob",
                    action = parse.GetValue(action) == "deny" ? "Deny" : "RequireApproval",
                    targetLabels = parsed,
                    roles = parse.GetValue(roles) ?? [],
                }, ServiceCall.Json));
        });
        return command;
    }
}
