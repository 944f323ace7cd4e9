using System.CommandLine;
using Gatehouse.Cli.Auth;

namespace Gatehouse.Cli.Audit;

/// <summary><c>gatehouse alerts ...</c>: list, acknowledge and resolve the alerts the Audit service raised.</summary>
public sealed class AlertsCommands : ICommandGroup
{
    public Command Build(CliContext context)
    {
        var alerts = new Command("alerts", "List, acknowledge and resolve alerts (soc-analyst or admin token required).");
        var status = new Option<string?>("--status") { Description = "open, acknowledged or resolved" };
        var severity = new Option<string?>("--severity") { Description = "low, medium, high or critical" };
        var user = new Option<string?>("--user") { Description = "Alerts about this user" };
        var rule = new Option<string?>("--rule") { Description = "Alerts of this rule, e.g. brute-force" };
        var list = new Command("list", "List alerts, newest first.") { status, severity, user, rule };
        list.SetAction((parse, _) => ServiceCall.RunAsync(context, context.Audit, client => client.GetAsync("api/audit/alerts?" + AuditCommands.Query(
            ("status", parse.GetValue(status)), ("severity", parse.GetValue(severity)), ("user", parse.GetValue(user)), ("rule", parse.GetValue(rule))))));
        alerts.Subcommands.Add(list);
        alerts.Subcommands.Add(Act(context, "ack", "acknowledge", "Take an open alert on."));
        alerts.Subcommands.Add(Act(context, "resolve", "resolve", "Close an alert, saying what it was."));
        return alerts;
    }

    private static Command Act(CliContext context, string name, string action, string description)
    {
        var id = new Argument<Guid>("alert-id") { Description = "The alert's id" };
        var note = new Option<string>("--note") { Description = "Why (required)", Required = true };
        var command = new Command(name, description) { id, note };
        // "ack" is short for the API's word, which operators type as well.
        if (name != action)
        {
            command.Aliases.Add(action);
        }

        command.SetAction((parse, _) => ServiceCall.RunAsync(context, context.Audit, client =>
            ServiceCall.PostJson(client, $"api/audit/alerts/{parse.GetValue(id)}/{action}", new { note = parse.GetValue(note) })));
        return command;
    }
}
