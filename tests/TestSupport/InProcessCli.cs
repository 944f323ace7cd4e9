using System.CommandLine;
using Gatehouse.Cli;

namespace Gatehouse.TestSupport;

/// <summary>The <c>gatehouse</c> CLI run in this process, its output captured.</summary>
public static class InProcessCli
{
    /// <param name="serviceUrlVariable">Where the CLI finds the service, e.g. GATEHOUSE_AUDIT_URL.</param>
    public static async Task<(int Exit, string Out, string Error)> RunAsync(string serviceUrlVariable, Uri service, string token,
        params string[] args)
    {
        // CliContext reads where the service is and the token from the environment, as the installed tool does.
        Environment.SetEnvironmentVariable(serviceUrlVariable, service.ToString());
        Environment.SetEnvironmentVariable("GATEHOUSE_TOKEN", token);
        return await RunLocallyAsync(args);
    }

    /// <summary>The CLI without a service or token, for what needs neither (help, refusals of bad input).</summary>
    public static async Task<(int Exit, string Out, string Error)> RunLocallyAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var root = CliRoot.Build(new CliContext { Out = output, Error = error });
        var exit = await root.Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
        return (exit, output.ToString(), error.ToString());
    }
}
