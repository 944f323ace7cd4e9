using System.CommandLine;
using Gatehouse.Cli;

var context = new CliContext();
var root = new RootCommand("Gatehouse administration: users, credentials, targets, grants, sessions and audit.");
foreach (var group in typeof(ICommandGroup).Assembly.GetTypes()
             .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(ICommandGroup).IsAssignableFrom(t))
             .OrderBy(t => t.Name, StringComparer.Ordinal))
{
    root.Subcommands.Add(((ICommandGroup)Activator.CreateInstance(group)!).Build(context));
}

return await root.Parse(args).InvokeAsync();
