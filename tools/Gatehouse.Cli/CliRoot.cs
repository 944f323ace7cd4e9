using System.CommandLine;

namespace Gatehouse.Cli;

/// <summary>The <c>gatehouse</c> command: every command group of this tool under one root.</summary>
public static class CliRoot
{
    public static RootCommand Build(CliContext context)
    {
        var root = new RootCommand("Gatehouse administration: users, credentials, targets, grants, sessions and audit.");
        foreach (var group in typeof(ICommandGroup).Assembly.GetTypes()
                     .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(ICommandGroup).IsAssignableFrom(t))
                     .OrderBy(t => t.Name, StringComparer.Ordinal))
        {
            root.Subcommands.Add(((ICommandGroup)Activator.CreateInstance(group)!).Build(context));
        }

        TypedValues.Apply(root);
        return root;
    }
}
