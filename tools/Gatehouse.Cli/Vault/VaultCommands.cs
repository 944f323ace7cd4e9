using System.CommandLine;
using System.Net.Http.Json;
using Gatehouse.Cli.Auth;

namespace Gatehouse.Cli.Vault;

/// <summary>
/// <c>gatehouse vault ...</c>: the credentials the gateway signs in to targets with. Secrets go in, never come out:
/// listing shows which target logins have one and under which vault key.
/// </summary>
public sealed class VaultCommands : ICommandGroup
{
    public Command Build(CliContext context)
    {
        var vault = new Command("vault", "Store and remove the credentials the gateway uses on targets (admin token required).");
        vault.Subcommands.Add(List(context));
        vault.Subcommands.Add(Store(context));
        vault.Subcommands.Add(Remove(context));
        vault.Subcommands.Add(Reseal(context));
        vault.Subcommands.Add(Keys(context));
        return vault;
    }

    private static Command List(CliContext context)
    {
        var command = new Command("list", "List the target logins the vault holds a credential for.");
        command.SetAction((_, _) => ServiceCall.RunAsync(context, context.SessionBroker, client => client.GetAsync("api/vault/credentials")));
        return command;
    }

    private static Command Store(CliContext context)
    {
        var target = new Argument<string>("target") { Description = "The target, as registered in Authorization" };
        var login = new Argument<string>("login") { Description = "The login on the target" };
        var keyFile = new Option<FileInfo?>("--private-key-file") { Description = "An unencrypted OpenSSH/PEM private key file" };
        var password = new Option<bool>("--password") { Description = "Read a password instead (from the terminal without echo, or one line of stdin)" };
        var passwordFile = new Option<FileInfo?>("--password-file")
        {
            Description = "Read the password from a file (its one line; for provisioning scripts and secret mounts, never the command line)",
        };
        var command = new Command("store", "Seal a credential for a target login (replaces any).") { target, login, keyFile, password, passwordFile };
        command.SetAction(async (parse, _) =>
        {
            var file = parse.GetValue(keyFile);
            var secretFile = parse.GetValue(passwordFile);
            if ((file is null ? 0 : 1) + (parse.GetValue(password) ? 1 : 0) + (secretFile is null ? 0 : 1) != 1)
            {
                await context.Error.WriteLineAsync("Give exactly one of --private-key-file, --password or --password-file.");
                return 1;
            }

            object body;
            if (file is not null)
            {
                body = new { privateKey = await File.ReadAllTextAsync(file.FullName) };
            }
            else if (secretFile is not null)
            {
                if (!secretFile.Exists)
                {
                    await context.Error.WriteLineAsync($"{secretFile.FullName} does not exist.");
                    return 1;
                }

                if (await ReadPasswordFileAsync(secretFile) is not { } secret)
                {
                    await context.Error.WriteLineAsync($"{secretFile.FullName} must hold the password on one line, and nothing else.");
                    return 1;
                }

                body = new { password = secret };
            }
            else
            {
                body = new { password = ServiceCall.ReadSecret(context, "Password: ") };
            }

            return await ServiceCall.RunAsync(context, context.SessionBroker, client => client.PutAsJsonAsync(
                $"api/vault/credentials/{Uri.EscapeDataString(parse.GetValue(target)!)}/{Uri.EscapeDataString(parse.GetValue(login)!)}",
                body, ServiceCall.Json));
        });
        return command;
    }

    /// <summary>The file's one line without its line break; null when it is empty or holds more than one line.</summary>
    private static async Task<string?> ReadPasswordFileAsync(FileInfo file)
    {
        var text = await File.ReadAllTextAsync(file.FullName);
        text = text.EndsWith("\r\n", StringComparison.Ordinal) ? text[..^2] : text.EndsWith('\n') ? text[..^1] : text;
        return text.Length == 0 || text.Contains('\n') || text.Contains('\r') ? null : text;
    }

    private static Command Remove(CliContext context)
    {
        var target = new Argument<string>("target");
        var login = new Argument<string>("login");
        var command = new Command("remove", "Forget the credential of a target login.") { target, login };
        command.SetAction((parse, _) => ServiceCall.RunAsync(context, context.SessionBroker, client => client.DeleteAsync(
                $"api/vault/credentials/{Uri.EscapeDataString(parse.GetValue(target)!)}/{Uri.EscapeDataString(parse.GetValue(login)!)}"),
            _ => context.Out.WriteLineAsync("Removed.")));
        return command;
    }

    private static Command Keys(CliContext context)
    {
        var command = new Command("keys",
            "Show the active vault key and how many credentials each key seals: a key that seals none can be removed from the configuration.");
        command.SetAction((_, _) => ServiceCall.RunAsync(context, context.SessionBroker, client => client.GetAsync("api/vault/keys")));
        return command;
    }

    private static Command Reseal(CliContext context)
    {
        var command = new Command("reseal", "Re-seal every credential under the active vault key, so older keys can be retired.");
        command.SetAction((_, _) => ServiceCall.RunAsync(context, context.SessionBroker, client => client.PostAsync("api/vault/reseal", null)));
        return command;
    }
}
