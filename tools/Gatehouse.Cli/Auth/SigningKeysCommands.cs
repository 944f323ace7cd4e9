using System.CommandLine;
using System.Text.Json;

namespace Gatehouse.Cli.Auth;

/// <summary><c>gatehouse signing-keys ...</c>: the keys that sign API tokens, and their rotation (admin token required).</summary>
public sealed class SigningKeysCommands : ICommandGroup
{
    public Command Build(CliContext context)
    {
        var list = new Command("list", "List the API token signing keys: which one signs, which is next, which are retiring.");
        list.SetAction((_, _) => ServiceCall.RunAsync(context, context.Authentication, client => client.GetAsync("api/signing-keys"),
            async json =>
            {
                foreach (var key in json!.Value.EnumerateArray())
                {
                    await context.Out.WriteLineAsync(Describe(key));
                }
            }));

        var compromised = new Option<bool>("--compromised")
        {
            Description = "The old key leaked: the new key signs at once and the old one is withdrawn at once, so every token it signed stops working",
        };
        var rotate = new Command("rotate",
            "Make a new signing key. It is published at once and signs after a delay; the old key stays published until its tokens expire, so nobody is logged out.")
        {
            compromised,
        };
        rotate.SetAction((parse, _) => ServiceCall.RunAsync(context, context.Authentication,
            client => client.PostAsync(parse.GetValue(compromised) ? "api/signing-keys/rotate?compromised=true" : "api/signing-keys/rotate", null),
            async json => await context.Out.WriteLineAsync("New signing key: " + Describe(json!.Value))));

        return new Command("signing-keys", "The keys that sign API tokens (published at /.well-known/jwks.json).") { list, rotate };
    }

    private static string Describe(JsonElement key)
    {
        var state = key.GetProperty("state").GetString();
        var detail = state switch
        {
            "next" => $"signs from {key.GetProperty("signsFrom").GetDateTimeOffset():u}",
            "retiring" => $"published until {key.GetProperty("publishedUntil").GetDateTimeOffset():u}",
            _ => $"created {key.GetProperty("createdAt").GetDateTimeOffset():u}",
        };
        return $"{key.GetProperty("keyId").GetString()}  {state,-8}  {detail}";
    }
}
