using System.CommandLine;
using Gatehouse.Cli;
using Gatehouse.Cli.Sessions;
using Gatehouse.Cli.Vault;

namespace Gatehouse.EndToEnd.Tests.Support;

/// <summary>The gatehouse vault and sessions commands, run in process against a stack's SessionBroker with the admin token.</summary>
public static class GatehouseCli
{
    public static async Task<(int Exit, string Out, string Error)> RunAsync(GatehouseStack stack, params string[] args)
    {
        // CliContext reads where the service is and the token from the environment, as the installed tool does.
        Environment.SetEnvironmentVariable("GATEHOUSE_SESSION_BROKER_URL", stack.BrokerAdmin.BaseAddress!.ToString());
        Environment.SetEnvironmentVariable("GATEHOUSE_TOKEN", stack.AdminToken);
        var output = new StringWriter();
        var error = new StringWriter();
        var context = new CliContext { Out = output, Error = error };
        var root = new RootCommand();
        root.Subcommands.Add(new VaultCommands().Build(context));
        root.Subcommands.Add(new SessionsCommands().Build(context));
        var exit = await root.Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
        return (exit, output.ToString(), error.ToString());
    }
}
