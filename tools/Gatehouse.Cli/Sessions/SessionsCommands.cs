using System.CommandLine;
using System.Text.Json;
using Gatehouse.Cli.Auth;

namespace Gatehouse.Cli.Sessions;

/// <summary><c>gatehouse sessions ...</c>: the sessions the gateway relays now, through the SessionBroker admin API.</summary>
public sealed class SessionsCommands : ICommandGroup
{
    public Command Build(CliContext context)
    {
        var sessions = new Command("sessions", "List and terminate live sessions on the gateway (admin token required).");
        sessions.Subcommands.Add(List(context));
        sessions.Subcommands.Add(Terminate(context));
        return sessions;
    }

    private static Command List(CliContext context)
    {
        var json = new Option<bool>("--json") { Description = "Print the raw JSON instead of a table" };
        var command = new Command("list", "List live sessions.") { json };
        command.SetAction((parse, _) => ServiceCall.RunAsync(context, context.SessionBroker, client => client.GetAsync("api/sessions"),
            async answer =>
            {
                if (parse.GetValue(json) || answer is not { ValueKind: JsonValueKind.Array } rows)
                {
                    await context.Out.WriteLineAsync(answer is { } value ? JsonSerializer.Serialize(value, ServiceCall.Json) : "[]");
                    return;
                }

                await context.Out.WriteLineAsync($"{"SESSION",-36}  {"USER",-16}  {"TARGET",-20}  {"LOGIN",-12}  {"KIND",-9}  {"FROM",-15}  STARTED");
                foreach (var row in rows.EnumerateArray())
                {
                    await context.Out.WriteLineAsync(
                        $"{Text(row, "sessionId"),-36}  {Text(row, "userName"),-16}  {Text(row, "target"),-20}  {Text(row, "login"),-12}  "
                        + $"{Text(row, "kind"),-9}  {Text(row, "sourceAddress"),-15}  {Text(row, "startedAt")}");
                }
            }));
        return command;
    }

    private static Command Terminate(CliContext context)
    {
        var id = new Argument<Guid>("session") { Description = "The session id, as 'gatehouse sessions list' shows it" };
        var reason = new Option<string>("--reason") { Description = "Why; the user is shown it", Required = true };
        var command = new Command("terminate", "End a live session now (sends TerminateSession on the bus).") { id, reason };
        command.SetAction((parse, _) => ServiceCall.RunAsync(context, context.SessionBroker,
            client => ServiceCall.PostJson(client, $"api/sessions/{parse.GetValue(id)}/terminate", new { reason = parse.GetValue(reason) }),
            _ => context.Out.WriteLineAsync($"Session {parse.GetValue(id)} is being terminated.")));
        return command;
    }

    private static string Text(JsonElement row, string property) =>
        row.TryGetProperty(property, out var value) && value.ValueKind != JsonValueKind.Null ? value.ToString() : "-";
}
