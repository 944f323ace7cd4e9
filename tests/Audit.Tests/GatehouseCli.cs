using System.CommandLine;
using Gatehouse.Cli;
using Gatehouse.Cli.Audit;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Gatehouse.Audit.Tests;

/// <summary>The gatehouse CLI's audit and alerts commands against an Audit service on a real port, token in GATEHOUSE_TOKEN.</summary>
public static class GatehouseCli
{
    public static async Task<(int Exit, string Out, string Error)> RunAsync(WebApplicationFactory<Program> audit, params string[] args)
    {
        Environment.SetEnvironmentVariable("GATEHOUSE_AUDIT_URL", audit.RealAddress().ToString());
        Environment.SetEnvironmentVariable("GATEHOUSE_TOKEN", AuditService.Token("cli-analyst", "soc-analyst"));
        var output = new StringWriter();
        var error = new StringWriter();
        var context = new CliContext { Out = output, Error = error };
        var root = new RootCommand();
        foreach (var group in new ICommandGroup[] { new AuditCommands(), new AlertsCommands() })
        {
            root.Subcommands.Add(group.Build(context));
        }

        var exit = await root.Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
        return (exit, output.ToString(), error.ToString());
    }
}
