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
        var filter = new EventFilterOptions();
        var cursor = new Option<string?>("--cursor") { Description = "The nextCursor of the previous page" };
        var limit = new Option<int>("--limit") { Description = "Events per page", DefaultValueFactory = _ => 100 };
        var command = new Command("events", "Search stored events (one page; the answer carries the cursor of the next).") { cursor, limit };
        filter.AddTo(command);
        command.SetAction((parse, _) => ServiceCall.RunAsync(context, context.Audit, client => client.GetAsync("api/audit/events?" + Query(
            [.. filter.Values(parse), ("cursor", parse.GetValue(cursor)), ("limit", parse.GetValue(limit).ToString())]))));
        return command;
    }

    private static Command Export(CliContext context)
    {
        var filter = new EventFilterOptions();
        var format = new Option<string>("--format") { Description = "jsonl or ocsf", DefaultValueFactory = _ => "jsonl" };
        var output = new Option<FileInfo?>("--output") { Description = "Write to this file instead of standard output" };
        var command = new Command("export", "Export stored events as JSON lines or OCSF, one event a line.") { format, output };
        filter.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            using var client = context.Client(context.Audit);
            client.Timeout = Timeout.InfiniteTimeSpan;
            var path = "api/audit/export?" + Query([("format", parse.GetValue(format)), .. filter.Values(parse)]);
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

    /// <summary>The event filters that searching and exporting share, as the API names them.</summary>
    private sealed class EventFilterOptions
    {
        private readonly Option<string?> _actor = new("--actor") { Description = "Who did it" };
        private readonly Option<string?> _user = new("--user") { Description = "The user it is about (whose access was decided, who tried to log in), whoever acted" };
        private readonly Option<string?> _target = new("--target") { Description = "The target it concerns" };
        private readonly Option<string?> _type = new("--type") { Description = "An event type, e.g. LoginFailed" };
        private readonly Option<string?> _text = new("--text") { Description = "Free text found anywhere in the event" };
        private readonly Option<string?> _source = new("--source") { Description = "The source IP address it came from" };
        private readonly Option<string?> _correlationId = new("--correlation-id") { Description = "The login or session it belongs to" };
        private readonly Option<DateTimeOffset?> _from = new("--from") { Description = "From this time (ISO 8601)" };
        private readonly Option<DateTimeOffset?> _to = new("--to") { Description = "Before this time (ISO 8601)" };

        public void AddTo(Command command)
        {
            foreach (var option in new Option[] { _actor, _user, _target, _type, _text, _source, _correlationId, _from, _to })
            {
                command.Options.Add(option);
            }
        }

        public (string Name, string? Value)[] Values(ParseResult parse) =>
        [
            ("actor", parse.GetValue(_actor)), ("user", parse.GetValue(_user)), ("target", parse.GetValue(_target)), ("type", parse.GetValue(_type)),
            ("q", parse.GetValue(_text)), ("source", parse.GetValue(_source)), ("correlationId", parse.GetValue(_correlationId)),
            ("from", parse.GetValue(_from)?.ToString("O")), ("to", parse.GetValue(_to)?.ToString("O")),
        ];
    }
}
