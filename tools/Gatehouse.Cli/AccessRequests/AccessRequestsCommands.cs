using System.CommandLine;
using Gatehouse.Cli.Auth;
using Gatehouse.Cli.Targets;

namespace Gatehouse.Cli.AccessRequests;

/// <summary><c>gatehouse access-requests ...</c>: just-in-time access, asked for by a user and decided by another approver.</summary>
public sealed class AccessRequestsCommands : ICommandGroup
{
    public Command Build(CliContext context)
    {
        var requests = new Command("access-requests", "Ask for just-in-time access, and approve or deny requests (approver token).");
        var status = new Option<string?>("--status") { Description = "Pending, Approved or Denied" };
        var list = new Command("list", "List requests: all for approvers, your own otherwise.") { status };
        list.SetAction((parse, _) => AuthorizationCalls.RunAsync(context, client => client.GetAsync(
            parse.GetValue(status) is { } wanted ? $"api/access-requests?status={AuthorizationCalls.Escape(wanted)}" : "api/access-requests")));
        requests.Subcommands.Add(list);
        requests.Subcommands.Add(AuthorizationCalls.Simple(context, "show", "Show a request.", "id", (c, id) => c.GetAsync($"api/access-requests/{id}")));
        requests.Subcommands.Add(Ask(context));
        requests.Subcommands.Add(AuthorizationCalls.Simple(context, "approve", "Approve a request (never your own): it becomes a grant that expires by itself.",
            "id", (c, id) => c.PostAsync($"api/access-requests/{id}/approve", null)));
        requests.Subcommands.Add(Deny(context));
        return requests;
    }

    private static Command Ask(CliContext context)
    {
        var target = new Argument<string>("target") { Description = "The target you need" };
        var login = new Option<string>("--login") { Description = "The login you need on it", Required = true };
        var duration = new Option<TimeSpan>("--duration") { Description = "For how long, e.g. 2h, 30m or 1d", Required = true };
        var reason = new Option<string>("--reason") { Description = "Why, e.g. the incident or ticket", Required = true };
        var command = new Command("request", "Ask for just-in-time access for yourself.") { target, login, duration, reason };
        command.SetAction((parse, _) => AuthorizationCalls.RunAsync(context, client => ServiceCall.PostJson(client, "api/access-requests", new
        {
            target = parse.GetValue(target),
            login = parse.GetValue(login),
            duration = parse.GetValue(duration),
            reason = parse.GetValue(reason),
        })));
        return command;
    }

    private static Command Deny(CliContext context)
    {
        var id = new Argument<Guid>("id") { Description = "The request" };
        var reason = new Option<string>("--reason") { Description = "Why, for the requester and the audit trail", Required = true };
        var command = new Command("deny", "Deny a request.") { id, reason };
        command.SetAction((parse, _) => AuthorizationCalls.RunAsync(context, client =>
            ServiceCall.PostJson(client, $"api/access-requests/{parse.GetValue(id)}/deny", new { reason = parse.GetValue(reason) })));
        return command;
    }
}
