using System.CommandLine;
using Gatehouse.Cli.Auth;

namespace Gatehouse.Cli.Targets;

/// <summary>What the targets, grants, access-requests and policies commands share: calls to the Authorization admin API.</summary>
public static class AuthorizationCalls
{
    public static Task<int> RunAsync(CliContext context, Func<HttpClient, Task<HttpResponseMessage>> call) =>
        ServiceCall.RunAsync(context, context.Authorization, call);

    public static string Escape(string? value) => Uri.EscapeDataString(value ?? "");

    public static Option<string[]> Repeatable(string name, string description) => new(name)
    {
        Description = description,
        AllowMultipleArgumentsPerToken = true,
    };

    /// <summary>Labels given as key=value; null (after writing why) when one is not.</summary>
    public static Dictionary<string, string>? Labels(CliContext context, string[]? pairs)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in pairs ?? [])
        {
            var parts = pair.Split('=', 2);
            if (parts.Length != 2 || parts[0].Length == 0)
            {
                context.Error.WriteLine($"'{pair}' is not a label: write key=value, e.g. env=prod");
                return null;
            }

            labels[parts[0]] = parts[1];
        }

        return labels;
    }

    /// <summary>A simple command: an optional single argument, one call.</summary>
    public static Command Simple(CliContext context, string name, string description, string? argument,
        Func<HttpClient, string, Task<HttpResponseMessage>> call)
    {
        var command = new Command(name, description);
        var value = new Argument<string>(argument ?? "value");
        if (argument is not null)
        {
            command.Arguments.Add(value);
        }

        command.SetAction((parse, _) => RunAsync(context, client => call(client, argument is null ? "" : Escape(parse.GetValue(value)))));
        return command;
    }
}
