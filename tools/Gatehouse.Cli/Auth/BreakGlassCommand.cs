using System.CommandLine;

namespace Gatehouse.Cli.Auth;

/// <summary>
/// <c>gatehouse break-glass unlock alice</c>: on the Authentication service's host, lifts a user's locks and blocks with
/// the service's break-glass secret, when no administrator can sign in to do it. It needs no token and grants nothing.
/// </summary>
public sealed class BreakGlassCommand : ICommandGroup
{
    public Command Build(CliContext context)
    {
        var secretFile = BootstrapCommand.SecretFileOption("break-glass-secret");
        var name = new Argument<string>("name") { Description = "The user to unlock" };
        var unlock = new Command("unlock", "Lift every lock and block on a user (needs read access to the service's state directory).")
        {
            secretFile,
            name,
        };
        unlock.SetAction(async (parse, _) =>
        {
            var file = parse.GetValue(secretFile)!;
            if (!file.Exists)
            {
                await context.Error.WriteLineAsync($"{file.FullName} does not exist: the Authentication service writes it when it starts.");
                return 1;
            }

            var secret = (await File.ReadAllTextAsync(file.FullName)).Trim();
            return await ServiceCall.RunAsync(context, context.Authentication,
                client => ServiceCall.PostJson(client, "api/break-glass/unlock", new { secret, userName = parse.GetValue(name) }));
        });
        return new Command("break-glass", "The host operator's way back in when every administrator is locked out.") { unlock };
    }
}
