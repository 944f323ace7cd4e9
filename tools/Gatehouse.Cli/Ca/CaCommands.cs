using System.CommandLine;
using System.Net.Http.Json;
using Gatehouse.Cli.Auth;

namespace Gatehouse.Cli.Ca;

/// <summary>
/// <c>gatehouse ca ...</c>: Gatehouse's SSH certificate authorities. Public keys only: the private keys never leave the SessionBroker.
/// </summary>
public sealed class CaCommands : ICommandGroup
{
    public Command Build(CliContext context)
    {
        var ca = new Command("ca", "Gatehouse's SSH CAs: the lines targets and clients install, rotation (admin token required).");
        ca.Subcommands.Add(Show(context));
        ca.Subcommands.Add(Rotate(context));
        ca.Subcommands.Add(Retire(context));
        return ca;
    }

    private static Option<bool> UserOption() => new("--user") { Description = "The user CA targets trust in TrustedUserCAKeys" };

    private static Option<bool> HostOption() => new("--host") { Description = "The host CA clients trust with @cert-authority in known_hosts" };

    private static string? Kind(ParseResult parse, Option<bool> user, Option<bool> host) =>
        (parse.GetValue(user), parse.GetValue(host)) switch
        {
            (true, false) => "user",
            (false, true) => "host",
            _ => null,
        };

    private static Command Show(CliContext context)
    {
        var (user, host) = (UserOption(), HostOption());
        var command = new Command("show",
            "Print the trust lines: --user a TrustedUserCAKeys file for targets' sshd, --host @cert-authority lines for known_hosts. "
            + "During a rotation both keys are printed.") { user, host };
        command.SetAction(async (parse, _) =>
        {
            if (Kind(parse, user, host) is not { } kind) return await UsageAsync(context);
            return await ServiceCall.RunAsync(context, context.SessionBroker, client => client.GetAsync($"api/ca/{kind}"), async answer =>
            {
                foreach (var line in answer!.Value.GetProperty("lines").EnumerateArray()) await context.Out.WriteLineAsync(line.GetString());
            });
        });
        return command;
    }

    private static Command Rotate(CliContext context)
    {
        var (user, host) = (UserOption(), HostOption());
        var signsFrom = new Option<DateTimeOffset?>("--signs-from")
        {
            Description = "When the new key starts signing (default: now plus Gatehouse:CertificateAuthority:RotationLead); install it everywhere before",
        };
        var command = new Command("rotate", "Make a new CA key; old and new are trusted until the old one is retired.") { user, host, signsFrom };
        command.SetAction(async (parse, _) =>
        {
            if (Kind(parse, user, host) is not { } kind) return await UsageAsync(context);
            return await ServiceCall.RunAsync(context, context.SessionBroker, client => client.PostAsJsonAsync($"api/ca/{kind}/rotate",
                new { signsFrom = parse.GetValue(signsFrom) }, ServiceCall.Json));
        });
        return command;
    }

    private static Command Retire(CliContext context)
    {
        var (user, host) = (UserOption(), HostOption());
        var fingerprint = new Argument<string>("fingerprint") { Description = "The SHA256: fingerprint of the old key, as 'ca show' lists it" };
        var command = new Command("retire", "Stop trusting an old CA key (never the one that signs now).") { user, host, fingerprint };
        command.SetAction(async (parse, _) =>
        {
            if (Kind(parse, user, host) is not { } kind) return await UsageAsync(context);
            return await ServiceCall.RunAsync(context, context.SessionBroker, client => client.PostAsJsonAsync($"api/ca/{kind}/retire",
                new { fingerprint = parse.GetValue(fingerprint) }, ServiceCall.Json), _ => context.Out.WriteLineAsync("Retired."));
        });
        return command;
    }

    private static async Task<int> UsageAsync(CliContext context)
    {
        await context.Error.WriteLineAsync("Give exactly one of --user or --host.");
        return 1;
    }
}
