using System.CommandLine;

namespace Gatehouse.Cli.Auth;

/// <summary><c>gatehouse bootstrap</c>: creates the first admin with the one-time secret the Authentication service wrote on first start.</summary>
public sealed class BootstrapCommand : ICommandGroup
{
    public Command Build(CliContext context)
    {
        var secretFile = SecretFileOption("bootstrap-secret");
        var user = new Option<string>("--user") { Description = "Name of the first admin", Required = true };
        var command = new Command("bootstrap", "Create the first admin (only while no admin exists); asks for the admin's password.")
        {
            secretFile,
            user,
        };
        command.SetAction(async (parse, _) =>
        {
            var file = parse.GetValue(secretFile)!;
            if (!file.Exists)
            {
                await context.Error.WriteLineAsync($"{file.FullName} does not exist: the service writes it on start while no admin exists.");
                return 1;
            }

            var secret = (await File.ReadAllTextAsync(file.FullName)).Trim();
            var password = ServiceCall.ReadSecret(context, "Password for the first admin: ");
            if (!Console.IsInputRedirected && ServiceCall.ReadSecret(context, "Again: ") != password)
            {
                await context.Error.WriteLineAsync("The passwords differ.");
                return 1;
            }

            return await ServiceCall.RunAsync(context, context.Authentication,
                client => ServiceCall.PostJson(client, "api/bootstrap", new { secret, userName = parse.GetValue(user), password }),
                async _ => await context.Out.WriteLineAsync($"Created admin '{parse.GetValue(user)}'. Next: gatehouse login --user {parse.GetValue(user)}"));
        });
        return command;
    }

    /// <summary>A secret file the Authentication service writes in its state directory, for the operator on its host.</summary>
    public static Option<FileInfo> SecretFileOption(string fileName) => new("--secret-file")
    {
        Description = $"The {fileName} file in the Authentication service's state directory "
                      + "(default: where deploy/run.sh keeps it, $GATEHOUSE_STATE or /var/lib/gatehouse)",
        DefaultValueFactory = _ => new FileInfo(Path.Combine(
            Environment.GetEnvironmentVariable("GATEHOUSE_STATE") is { Length: > 0 } state ? state : "/var/lib/gatehouse",
            "authentication", fileName)),
    };
}
