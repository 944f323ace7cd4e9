using System.CommandLine;
using Gatehouse.Cli.Auth;

namespace Gatehouse.Cli.Audit;

/// <summary><c>gatehouse audit ...</c>: the audit trail, its integrity check and exports, through the Audit SOC API.</summary>
public sealed class AuditCommands : ICommandGroup
{
    public Command Build(CliContext context)
    {
        var audit = new Command("audit", "Query, verify and export the audit trail (soc-analyst or admin token required).");
        audit.Subcommands.Add(Verify(context));
        audit.Subcommands.Add(Events(context));
        audit.Subcommands.Add(Export(context));
        return audit;
    }

    private static Command Verify(CliContext context)
    {
        var command = new Command("verify", "Recompute the signed digest chain; exit code 3 and every changed, missing or moved event named when it is broken.");
        command.SetAction(async (_, _) =>
        {
            var intact = true;
            var exit = await ServiceCall.RunAsync(context, context.Audit, client => client.GetAsync("api/audit/integrity/verify"), async json =>
            {
                var report = json!.Value;
                intact = report.GetProperty("intact").GetBoolean();
                await context.Out.WriteLineAsync(
                    $"{(intact ? "INTACT" : "BROKEN")}: {report.GetProperty("digestsChecked")} digests, {report.GetProperty("eventsChecked")} events sealed " +
                    $"up to sequence {report.GetProperty("sealedUpToSequence")}, {report.GetProperty("unsealedEvents")} not sealed yet");
                foreach (var problem in report.GetProperty("problems").EnumerateArray())
                {
                    await context.Out.WriteLineAsync($"  {problem.GetProperty("kind").GetString()}: {problem.GetProperty("detail").GetString()}");
                }
            });
            return exit == 0 && !intact ? 3 : exit;
        });
        return command;
    }

    private static Command Events(CliContext context)
    {
        var actor = new Option<string?>("--actor") { Description = "Who did it" };
        var target = new Option<string?>("--target") { Description = "The target it concerns" };
        var type = new Option<string?>("--type") { Description = "An event type, e.g. LoginFailed" };
        var text = new Option<string?>("--text") { Description = "Free text found anywhere in the event" };
        var source = new Option<string?>("--source") { Description = "The source IP address it came from" };
        var correlationId = new Option<string?>("--correlation-id") { Description = "The login or session it belongs to" };
        var cursor = new Option<string?>("--cursor") { Description = "The nextCursor of the previous page" };
        var from = new Option<DateTimeOffset?>("--from") { Description = "From this time (ISO 8601)" };
        var to = new Option<DateTimeOffset?>("--to") { Description = "Before this time (ISO 8601)" };
        var limit = new Option<int>("--limit") { Description = "Events per page", DefaultValueFactory = _ => 100 };
        var command = new Command("events", "Search stored events (one page; the answer carries the cursor of the next).") { actor, target, type, text, source, correlationId, from, to, limit, cursor };
        command.SetAction((parse, _) => ServiceCall.RunAsync(context, context.Audit, client => client.GetAsync("api/audit/events?" + Query(
            ("actor", parse.GetValue(actor)), ("target", parse.GetValue(target)), ("type", parse.GetValue(type)), ("q", parse.GetValue(text)),
            ("source", parse.GetValue(source)), ("correlationId", parse.GetValue(correlationId)), ("cursor", parse.GetValue(cursor)),
            ("from", parse.GetValue(from)?.ToString("O")), ("to", parse.GetValue(to)?.ToString("O")), ("limit", parse.GetValue(limit).ToString())))));
        return command;
    }

    private static Command Export(CliContext context)
    {
        var format = new Option<string>("--format") { Description = "jsonl or ocsf", DefaultValueFactory = _ => "jsonl" };
        var from = new Option<DateTimeOffset?>("--from") { Description = "From this time (ISO 8601)" };
        var to = new Option<DateTimeOffset?>("--to") { Description = "Before this time (ISO 8601)" };
        var output = new Option<FileInfo?>("--output") { Description = "Write to this file instead of standard output" };
        var command = new Command("export", "Export stored events as JSON lines or OCSF, one event a line.") { format, from, to, output };
        command.SetAction(async (parse, ct) =>
        {
            using var client = context.Client(context.Audit);
            client.Timeout = Timeout.InfiniteTimeSpan;
            var path = "api/audit/export?" + Query(("format", parse.GetValue(format)), ("from", parse.GetValue(from)?.ToString("O")),
                ("to", parse.GetValue(to)?.ToString("O")));
            using var response = await client.GetAsync(path, HttpCompletionOption.ResponseHeadersRead, ct);
            if (!response.IsSuccessStatusCode)
            {
                await context.Error.WriteLineAsync($"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(ct)}");
                return 1;
            }

            await using var body = await response.Content.ReadAsStreamAsync(ct);
            if (parse.GetValue(output) is { } file)
            {
                await using var target = file.Create();
                await body.CopyToAsync(target, ct);
            }
            else
            {
                using var reader = new StreamReader(body);
                await context.Out.WriteAsync(await reader.ReadToEndAsync(ct));
            }

            return 0;
        });
        return command;
    }

    internal static string Query(params (string Name, string? Value)[] parameters) =>
        string.Join('&', parameters.Where(p => !string.IsNullOrEmpty(p.Value)).Select(p => $"{p.Name}={Uri.EscapeDataString(p.Value!)}"));
}
