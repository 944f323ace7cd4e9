using System.CommandLine;
using System.Text.Json;
using Gatehouse.Cli.Auth;

namespace Gatehouse.Cli.Sessions;

/// <summary><c>gatehouse sessions ...</c>: the sessions and forwards the whole gateway relays now, through the SessionBroker admin API.</summary>
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
        var command = new Command("list", "List live sessions and open forwards on every gateway instance.") { json };
        command.SetAction((parse, _) => ServiceCall.RunAsync(context, context.SessionBroker, client => client.GetAsync("api/live"),
            async answer =>
            {
                if (parse.GetValue(json) || answer is not { ValueKind: JsonValueKind.Object } live)
                {
                    await context.Out.WriteLineAsync(answer is { } value ? JsonSerializer.Serialize(value, ServiceCall.Json) : "{}");
                    return;
                }

                await context.Out.WriteLineAsync($"{"SESSION",-36}  {"USER",-16}  {"TARGET",-20}  {"LOGIN",-12}  {"KIND",-9}  {"FROM",-15}  STARTED");
                foreach (var row in Rows(live, "sessions"))
                {
                    await context.Out.WriteLineAsync(
                        $"{Text(row, "sessionId"),-36}  {Text(row, "userName"),-16}  {Text(row, "target"),-20}  {Text(row, "login"),-12}  "
                        + $"{Text(row, "kind"),-9}  {Text(row, "sourceAddress"),-15}  {Text(row, "startedAt")}");
                }

                // Forwards are terminated by their id like sessions.
                if (Rows(live, "forwards").ToList() is { Count: > 0 } forwards)
                {
                    await context.Out.WriteLineAsync();
                    await context.Out.WriteLineAsync($"{"FORWARD",-36}  {"USER",-16}  {"TARGET",-20}  {"LOGIN",-12}  {"KIND",-9}  {"DESTINATION",-27}  {"FROM",-15}  OPENED");
                    foreach (var row in forwards)
                    {
                        await context.Out.WriteLineAsync(
                            $"{Text(row, "forwardingId"),-36}  {Text(row, "userName"),-16}  {Text(row, "target"),-20}  {Text(row, "login"),-12}  "
                            + $"{Text(row, "kind"),-9}  {$"{Text(row, "destinationHost")}:{Text(row, "destinationPort")}",-27}  {Text(row, "sourceAddress"),-15}  "
                            + Text(row, "openedAt"));
                    }
                }
            }));
        return command;
    }

    private static IEnumerable<JsonElement> Rows(JsonElement live, string property) =>
        live.TryGetProperty(property, out var rows) && rows.ValueKind == JsonValueKind.Array ? rows.EnumerateArray() : [];

    private static Command Terminate(CliContext context)
    {
        var id = new Argument<Guid>("session") { Description = "The session id, as 'gatehouse sessions list' shows it" };
        var reason = new Option<string>("--reason") { Description = "Why; the user is shown it", Required = true };
        var command = new Command("terminate", "End a live session or open forward now, on whichever instance holds it (sends TerminateSession on the bus).") { id, reason };
        command.SetAction((parse, _) => ServiceCall.RunAsync(context, context.SessionBroker,
            client => ServiceCall.PostJson(client, $"api/sessions/{parse.GetValue(id)}/terminate", new { reason = parse.GetValue(reason) }),
            _ => context.Out.WriteLineAsync($"Session {parse.GetValue(id)} is being terminated.")));
        return command;
    }

    private static string Text(JsonElement row, string property) =>
        row.TryGetProperty(property, out var value) && value.ValueKind != JsonValueKind.Null ? value.ToString() : "-";
}
