using System.CommandLine;
using System.Net.Http.Json;
using System.Text.Json;
using Gatehouse.Cli.Auth;

namespace Gatehouse.Cli.Users;

/// <summary><c>gatehouse users ...</c>: users, their roles and credentials, through the Authentication admin API.</summary>
public sealed class UsersCommands : ICommandGroup
{
    public Command Build(CliContext context)
    {
        var users = new Command("users", "Manage Gatehouse users, their roles, keys, passwords and authenticators (admin token required).");

        users.Subcommands.Add(Simple(context, "list", "List users.", null, (c, _) => c.GetAsync("api/users")));
        users.Subcommands.Add(Simple(context, "show", "Show a user: roles, keys, MFA, lockout.", "name", (c, n) => c.GetAsync($"api/users/{n}")));
        users.Subcommands.Add(Simple(context, "disable", "Refuse every credential of a user.", "name", (c, n) => c.PostAsync($"api/users/{n}/disable", null)));
        users.Subcommands.Add(Simple(context, "enable", "Enable a disabled user again.", "name", (c, n) => c.PostAsync($"api/users/{n}/enable", null)));
        users.Subcommands.Add(Simple(context, "delete", "Delete a user for good (history is kept, the name is never reused).", "name",
            (c, n) => c.DeleteAsync($"api/users/{n}")));
        users.Subcommands.Add(Simple(context, "unlock", "Lift a lockout after too many failed logins.", "name", (c, n) => c.PostAsync($"api/users/{n}/unlock", null)));
        users.Subcommands.Add(Simple(context, "remove-mfa", "Remove a user's authenticator (lost phone); the user enrolls again.", "name",
            (c, n) => c.DeleteAsync($"api/users/{n}/mfa")));
        users.Subcommands.Add(Create(context));
        users.Subcommands.Add(SetRoles(context));
        users.Subcommands.Add(AddKey(context));
        users.Subcommands.Add(RemoveKey(context));
        users.Subcommands.Add(ListKeys(context));
        users.Subcommands.Add(SetPassword(context));
        users.Subcommands.Add(EnrollMfa(context));
        return users;
    }

    private static Argument<string> NameArgument() => new("name") { Description = "The user name" };

    private static Option<string[]> RoleOption() => new("--role")
    {
        Description = "An API role: admin, approver, soc-analyst or user; repeat for several (access roles: gatehouse roles)",
        AllowMultipleArgumentsPerToken = true,
    };

    private static Command Simple(CliContext context, string name, string description, string? argument,
        Func<HttpClient, string, Task<HttpResponseMessage>> call)
    {
        var command = new Command(name, description);
        var nameArgument = NameArgument();
        if (argument is not null)
        {
            command.Arguments.Add(nameArgument);
        }

        command.SetAction((parse, _) => ServiceCall.RunAsync(context, context.Authentication,
            client => call(client, argument is null ? "" : Uri.EscapeDataString(parse.GetValue(nameArgument)!))));
        return command;
    }

    private static Command Create(CliContext context)
    {
        var name = NameArgument();
        var roles = RoleOption();
        var command = new Command("create", "Create a user (role 'user' unless --role says otherwise).") { name, roles };
        command.SetAction((parse, _) => ServiceCall.RunAsync(context, context.Authentication,
            client => ServiceCall.PostJson(client, "api/users", new { userName = parse.GetValue(name), roles = parse.GetValue(roles) })));
        return command;
    }

    private static Command SetRoles(CliContext context)
    {
        var name = NameArgument();
        var roles = RoleOption();
        roles.Required = true;
        var command = new Command("set-roles", "Replace a user's API roles.") { name, roles };
        command.SetAction((parse, _) => ServiceCall.RunAsync(context, context.Authentication,
            client => client.PutAsJsonAsync($"api/users/{Uri.EscapeDataString(parse.GetValue(name)!)}/roles",
                new { roles = parse.GetValue(roles) }, ServiceCall.Json)));
        return command;
    }

    private static Command AddKey(CliContext context)
    {
        var name = NameArgument();
        var file = new Argument<FileInfo>("public-key-file") { Description = "An OpenSSH public key file, e.g. ~/.ssh/id_ed25519.pub" };
        var expires = new Option<DateTimeOffset?>("--expires") { Description = "When the key stops working, e.g. 2026-12-31T00:00:00Z" };
        var command = new Command("add-key", "Register an SSH public key for a user.") { name, file, expires };
        command.SetAction(async (parse, _) =>
        {
            var (line, error) = await PublicKeyFile.ReadAsync(parse.GetValue(file)!);
            if (error is not null)
            {
                await context.Error.WriteLineAsync(error);
                return 1;
            }

            return await ServiceCall.RunAsync(context, context.Authentication,
                client => ServiceCall.PostJson(client, $"api/users/{Uri.EscapeDataString(parse.GetValue(name)!)}/keys",
                    new { publicKey = line, expiresAt = parse.GetValue(expires) }));
        });
        return command;
    }

    private static Command RemoveKey(CliContext context)
    {
        var name = NameArgument();
        var fingerprint = new Argument<string>("fingerprint") { Description = "The key's fingerprint, SHA256:..." };
        var command = new Command("remove-key", "Remove an SSH public key from a user.") { name, fingerprint };
        command.SetAction((parse, _) => ServiceCall.RunAsync(context, context.Authentication,
            client => client.DeleteAsync($"api/users/{Uri.EscapeDataString(parse.GetValue(name)!)}/keys?fingerprint="
                                         + Uri.EscapeDataString(parse.GetValue(fingerprint)!))));
        return command;
    }

    private static Command ListKeys(CliContext context)
    {
        var name = NameArgument();
        var command = new Command("list-keys", "List a user's SSH public keys: fingerprint, type, expiry and comment.") { name };
        command.SetAction((parse, _) => ServiceCall.RunAsync(context, context.Authentication,
            client => client.GetAsync($"api/users/{Uri.EscapeDataString(parse.GetValue(name)!)}"),
            async json =>
            {
                foreach (var key in json!.Value.GetProperty("keys").EnumerateArray())
                {
                    var expires = key.GetProperty("expiresAt") is { ValueKind: JsonValueKind.String } at
                        ? "expires " + at.GetDateTimeOffset().ToString("u") : "no expiry";
                    await context.Out.WriteLineAsync($"{key.GetProperty("fingerprint").GetString()}  {key.GetProperty("algorithm").GetString()}"
                                                     + $"  {expires}  {key.GetProperty("comment").GetString()}".TrimEnd());
                }
            }));
        return command;
    }

    private static Command SetPassword(CliContext context)
    {
        var name = NameArgument();
        var command = new Command("set-password", "Set a user's password (asked for, never on the command line).") { name };
        command.SetAction(async (parse, _) =>
        {
            var password = ServiceCall.ReadSecret(context, "New password: ");
            if (!Console.IsInputRedirected && ServiceCall.ReadSecret(context, "Again: ") != password)
            {
                await context.Error.WriteLineAsync("The passwords differ.");
                return 1;
            }

            return await ServiceCall.RunAsync(context, context.Authentication,
                client => client.PutAsJsonAsync($"api/users/{Uri.EscapeDataString(parse.GetValue(name)!)}/password",
                    new { password }, ServiceCall.Json));
        });
        return command;
    }

    private static Command EnrollMfa(CliContext context)
    {
        var name = NameArgument();
        var command = new Command("enroll-mfa",
            "Enroll a TOTP authenticator: shows a QR code to scan and recovery codes, then asks for a code to confirm.") { name };
        command.SetAction(async (parse, _) =>
        {
            var user = Uri.EscapeDataString(parse.GetValue(name)!);
            var started = await ServiceCall.RunAsync(context, context.Authentication, client => client.PostAsync($"api/users/{user}/mfa", null),
                async json => await ShowEnrollmentAsync(context, json!.Value));
            if (started != 0)
            {
                return started;
            }

            var code = ServiceCall.ReadSecret(context, "Code shown by the authenticator: ");
            return await ServiceCall.RunAsync(context, context.Authentication,
                client => ServiceCall.PostJson(client, $"api/users/{user}/mfa/confirm", new { code }),
                async _ => await context.Out.WriteLineAsync("Authenticator confirmed: a code is now required at every login."));
        });
        return command;
    }

    private static async Task ShowEnrollmentAsync(CliContext context, JsonElement enrollment)
    {
        await context.Out.WriteLineAsync(enrollment.GetProperty("qrCode").GetString());
        await context.Out.WriteLineAsync("Scan the QR code, or enter this secret by hand: " + enrollment.GetProperty("secret").GetString());
        await context.Out.WriteLineAsync(enrollment.GetProperty("otpAuthUri").GetString());
        await context.Out.WriteLineAsync();
        await context.Out.WriteLineAsync("Recovery codes, each usable once instead of a code (store them offline; they are not shown again):");
        foreach (var code in enrollment.GetProperty("recoveryCodes").EnumerateArray())
        {
            await context.Out.WriteLineAsync("  " + code.GetString());
        }

        await context.Out.WriteLineAsync();
    }
}
