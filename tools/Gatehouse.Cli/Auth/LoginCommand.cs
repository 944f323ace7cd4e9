using System.CommandLine;
using System.Text.Json;
using Gatehouse.Vocabulary;

namespace Gatehouse.Cli.Auth;

/// <summary><c>gatehouse login</c>: trades user name, password and TOTP code for a short-lived API token, saved to a 0600 file.</summary>
public sealed class LoginCommand : ICommandGroup
{
    public Command Build(CliContext context)
    {
        var user = new Option<string>("--user") { Description = "Your Gatehouse user name", Required = true };
        var tokenFile = new Option<FileInfo>("--token-file")
        {
            Description = "Where to save the token (give it to other commands with GATEHOUSE_TOKEN_FILE)",
            DefaultValueFactory = _ => new FileInfo(Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".gatehouse-token")),
        };
        var command = new Command("login", "Get an API token for the admin commands; asks for your password and TOTP code.") { user, tokenFile };
        command.SetAction(async (parse, _) =>
        {
            var password = ServiceCall.ReadSecret(context, "Password: ");
            var code = ServiceCall.ReadSecret(context, "TOTP code (empty if you have none): ");
            return await ServiceCall.RunAsync(context, context.Authentication,
                client => ServiceCall.PostJson(client, "api/tokens", new { userName = parse.GetValue(user), password, code = code.Length == 0 ? null : code }),
                async json =>
                {
                    var file = parse.GetValue(tokenFile)!;
                    File.Delete(file.FullName);
                    await using (var writer = new StreamWriter(PrivateFiles.Create(file.FullName)))
                    {
                        await writer.WriteAsync(json!.Value.GetProperty("accessToken").GetString());
                    }

                    var expires = json.Value.GetProperty("expiresAt").GetDateTimeOffset();
                    await context.Out.WriteLineAsync($"Token saved to {file.FullName}, valid until {expires:u}.");
                    await context.Out.WriteLineAsync($"export GATEHOUSE_TOKEN_FILE={file.FullName}");
                });
        });
        return command;
    }
}
