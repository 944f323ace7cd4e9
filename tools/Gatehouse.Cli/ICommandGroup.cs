using System.CommandLine;

namespace Gatehouse.Cli;

/// <summary>
/// One area of admin commands (users, targets, grants, sessions, audit, ...). Each area lives in its own folder and
/// is found by reflection, so areas can be added without editing a central list.
/// </summary>
public interface ICommandGroup
{
    Command Build(CliContext context);
}
