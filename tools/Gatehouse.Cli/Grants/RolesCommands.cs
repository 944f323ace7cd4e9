using System.CommandLine;
using Gatehouse.Cli.Auth;
using Gatehouse.Cli.Targets;

namespace Gatehouse.Cli.Grants;

/// <summary><c>gatehouse roles ...</c>: target-access roles (dba, on-call, ...) that grants can name, and their members.</summary>
public sealed class RolesCommands : ICommandGroup
{
    public Command Build(CliContext context)
    {
        var roles = new Command("roles", "Define access roles and their members, for grants and command policies to name; not the API roles of users set-roles (admin token required).");
        roles.Subcommands.Add(AuthorizationCalls.Simple(context, "list", "List roles and their members.", null, (c, _) => c.GetAsync("api/roles")));
        roles.Subcommands.Add(AuthorizationCalls.Simple(context, "show", "Show a role.", "name", (c, n) => c.GetAsync($"api/roles/{n}")));

        var name = new Argument<string>("name") { Description = "The access role, e.g. dba" };
        var description = new Option<string?>("--description") { Description = "What the role is for" };
        var define = new Command("define", "Define an access role.") { name, description };
        define.SetAction((parse, _) => AuthorizationCalls.RunAsync(context, client =>
            ServiceCall.PostJson(client, "api/roles", new { name = parse.GetValue(name), description = parse.GetValue(description) })));
        roles.Subcommands.Add(define);

        roles.Subcommands.Add(Member(context, "add-member", "Make a user a member: they receive the role's grants.",
            (client, role, user) => client.PutAsync($"api/roles/{role}/members/{user}", null)));
        roles.Subcommands.Add(Member(context, "remove-member", "Remove a member: the role's grants stop applying to their new sessions.",
            (client, role, user) => client.DeleteAsync($"api/roles/{role}/members/{user}")));
        return roles;
    }

    private static Command Member(CliContext context, string name, string description,
        Func<HttpClient, string, string, Task<HttpResponseMessage>> call)
    {
        var role = new Argument<string>("role") { Description = "The access role" };
        var user = new Argument<string>("user") { Description = "The user name" };
        var command = new Command(name, description) { role, user };
        command.SetAction((parse, _) => AuthorizationCalls.RunAsync(context, client =>
            call(client, AuthorizationCalls.Escape(parse.GetValue(role)), AuthorizationCalls.Escape(parse.GetValue(user)))));
        return command;
    }
}
