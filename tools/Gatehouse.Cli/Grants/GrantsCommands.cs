using System.CommandLine;
using System.Text.Json;
using System.Text.RegularExpressions;
using Gatehouse.Cli.Auth;
using Gatehouse.Cli.Targets;

namespace Gatehouse.Cli.Grants;

/// <summary><c>gatehouse grants ...</c>: who may reach which targets, with which logins, when and from where.</summary>
public sealed partial class GrantsCommands : ICommandGroup
{
    private static readonly string[] Week = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

    public Command Build(CliContext context)
    {
        var grants = new Command("grants", "Issue, list and revoke grants (admin token required).");
        var subject = new Option<string?>("--subject") { Description = "Only grants to this user, access role or API role" };
        var includeRevoked = new Option<bool>("--include-revoked") { Description = "Show revoked grants too" };
        var list = new Command("list", "List grants.") { subject, includeRevoked };
        list.SetAction((parse, _) => AuthorizationCalls.RunAsync(context, client => client.GetAsync(
            $"api/grants?subject={AuthorizationCalls.Escape(parse.GetValue(subject))}&includeRevoked={parse.GetValue(includeRevoked)}")));
        grants.Subcommands.Add(list);
        grants.Subcommands.Add(AuthorizationCalls.Simple(context, "show", "Show a grant.", "id", (c, id) => c.GetAsync($"api/grants/{id}")));
        grants.Subcommands.Add(Issue(context));
        grants.Subcommands.Add(Revoke(context));
        return grants;
    }

    private static Command Issue(CliContext context)
    {
        var user = new Option<string?>("--user") { Description = "Grant to this user" };
        var role = new Option<string?>("--role") { Description = "Grant to the members of this access role (gatehouse roles)" };
        var apiRole = new Option<string?>("--api-role")
        {
            Description = "Grant to everyone holding this API role (admin, approver, soc-analyst, user), members of an access role or not",
        };
        var targets = AuthorizationCalls.Repeatable("--target", "A target by name; repeat for several");
        var labels = AuthorizationCalls.Repeatable("--label", "Choose targets by label key=value (all must match); repeat for several");
        var logins = AuthorizationCalls.Repeatable("--login", "An allowed login, or * for any; repeat for several");
        logins.Required = true;
        var windows = AuthorizationCalls.Repeatable("--window",
            "When the grant may be used: 'mon-fri 08:00-18:00 Europe/Berlin' (ends before it starts: crosses midnight); repeat for several");
        var expires = new Option<DateTimeOffset?>("--expires") { Description = "When the grant ends, e.g. 2026-12-31T18:00:00Z" };
        var sources = AuthorizationCalls.Repeatable("--source", "An allowed source network in CIDR form (IPv4 or IPv6); repeat for several");
        var maxSession = new Option<TimeSpan?>("--max-session") { Description = "Longest session, e.g. 2h, 30m or 1d" };
        var portForwarding = new Option<bool>("--port-forwarding") { Description = "Allow port forwarding" };
        var forwardTo = AuthorizationCalls.Repeatable("--forward-to",
            "A destination port forwarding may reach from the target, host:port ('db-*.internal:5432', '[::1]:22', port * for any); repeat for several");
        var listenOn = AuthorizationCalls.Repeatable("--remote-forward-port",
            "A port ssh -R may listen on at the target's loopback: 8080, a range 8000-8099, or * for any (also one the target picks); repeat for several");
        var mfa = new Option<bool>("--require-mfa") { Description = "Require a completed second factor" };
        var command = new Command("issue", "Issue a grant to a user, an access role or an API role.")
        {
            user, role, apiRole, targets, labels, logins, windows, expires, sources, maxSession, portForwarding, forwardTo, listenOn, mfa,
        };
        command.SetAction(async (parse, _) =>
        {
            var subjects = new (string Kind, string? Name)[]
                {
                    ("User", parse.GetValue(user)), ("Role", parse.GetValue(role)), ("ApiRole", parse.GetValue(apiRole)),
                }
                .Where(s => s.Name is not null).ToList();
            if (subjects.Count != 1)
            {
                await context.Error.WriteLineAsync("Give exactly one of --user, --role or --api-role.");
                return 1;
            }

            var parsedWindows = new List<object>();
            foreach (var window in parse.GetValue(windows) ?? [])
            {
                if (Window(window) is not { } parsed)
                {
                    await context.Error.WriteLineAsync($"'{window}' is not a window such as 'mon-fri 08:00-18:00 Europe/Berlin'.");
                    return 1;
                }

                parsedWindows.Add(parsed);
            }

            if (AuthorizationCalls.Labels(context, parse.GetValue(labels)) is not { } parsedLabels)
            {
                return 1;
            }

            return await ServiceCall.RunAsync(context, context.Authorization, client => ServiceCall.PostJson(client, "api/grants", new
            {
                subjectKind = subjects[0].Kind,
                subject = subjects[0].Name,
                targetNames = parse.GetValue(targets) ?? [],
                targetLabels = parsedLabels,
                logins = parse.GetValue(logins),
                timeWindows = parsedWindows,
                expiresAt = parse.GetValue(expires),
                sourceCidrs = parse.GetValue(sources) ?? [],
                maxSessionLength = parse.GetValue(maxSession),
                portForwardingAllowed = parse.GetValue(portForwarding),
                mfaRequired = parse.GetValue(mfa),
                forwardingDestinations = parse.GetValue(forwardTo) ?? [],
                remoteForwardingPorts = parse.GetValue(listenOn) ?? [],
            }), issued => PrintWithWarningsAsync(context, issued));
        });
        return command;
    }

    /// <summary>The issued grant, then each warning on stderr, where it is not lost in the JSON (a selector that matches nothing yet).</summary>
    private static async Task PrintWithWarningsAsync(CliContext context, JsonElement? issued)
    {
        if (issued is not { } grant)
        {
            return;
        }

        await context.Out.WriteLineAsync(JsonSerializer.Serialize(grant, ServiceCall.Json));
        if (grant.ValueKind == JsonValueKind.Object && grant.TryGetProperty("warnings", out var warnings) && warnings.ValueKind == JsonValueKind.Array)
        {
            foreach (var warning in warnings.EnumerateArray())
            {
                await context.Error.WriteLineAsync($"Warning: {warning.GetString()}");
            }
        }
    }

    private static Command Revoke(CliContext context)
    {
        var id = new Argument<Guid>("id") { Description = "The grant" };
        var reason = new Option<string>("--reason") { Description = "Why, for the audit trail", Required = true };
        var command = new Command("revoke", "Revoke a grant; no new session may use it from now on.") { id, reason };
        command.SetAction((parse, _) => AuthorizationCalls.RunAsync(context, client =>
            ServiceCall.PostJson(client, $"api/grants/{parse.GetValue(id)}/revoke", new { reason = parse.GetValue(reason) })));
        return command;
    }

    /// <summary>"mon-fri 08:00-18:00 Europe/Berlin" or "sat,sun 22:00-06:00 UTC" into the API's time window.</summary>
    private static object? Window(string text)
    {
        var match = WindowSyntax().Match(text.Trim());
        if (!match.Success)
        {
            return null;
        }

        var days = new List<string>();
        foreach (var part in match.Groups["days"].Value.ToLowerInvariant().Split(','))
        {
            var range = part.Split('-');
            var first = Array.IndexOf(Week, range[0]);
            var last = Array.IndexOf(Week, range[^1]);
            if (first < 0 || last < 0)
            {
                return null;
            }

            for (var day = first; ; day = (day + 1) % 7)
            {
                days.Add(Week[day]);
                if (day == last)
                {
                    break;
                }
            }
        }

        return new { timeZone = match.Groups["zone"].Value, days, from = match.Groups["from"].Value, to = match.Groups["to"].Value };
    }

    [GeneratedRegex(@"^(?<days>[a-zA-Z,-]+)\s+(?<from>\d{2}:\d{2})-(?<to>\d{2}:\d{2})\s+(?<zone>\S+)$")]
    private static partial Regex WindowSyntax();
}
