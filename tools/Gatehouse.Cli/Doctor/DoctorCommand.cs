using System.CommandLine;
using Gatehouse.Cli.Auth;

namespace Gatehouse.Cli.Doctor;

/// <summary>
/// <c>gatehouse doctor</c>: the gateway checks the machine it runs on (services as root, owners and modes of the state folder,
/// pending security updates, listeners, its own offered algorithms, key and certificate ages, the vulnerability table's age,
/// the .NET runtime and NuGet packages) and lists each finding with its severity and fix.
/// </summary>
public sealed class DoctorCommand : ICommandGroup
{
    public Command Build(CliContext context)
    {
        var command = new Command("doctor", "Check the bastion the gateway runs on; each finding with its severity and fix (admin token required).");
        command.SetAction((_, _) => ServiceCall.RunAsync(context, context.SessionBroker, client => client.GetAsync("api/doctor")));
        return command;
    }
}
