using Gatehouse.Vocabulary;
using Marten;
using Gatehouse.ServiceDefaults.Http;

namespace Gatehouse.Authorization.Targets;

/// <summary>The target an admin request names, the one way the target endpoints look it up.</summary>
public static class ActiveTargets
{
    /// <summary>The registered, not removed target of that name (names compare normalised).</summary>
    public static Task<Target?> FindAsync(IQuerySession session, string name, CancellationToken cancellationToken)
    {
        var normalized = TargetNames.Normalise(name);
        return session.Query<Target>().FirstOrDefaultAsync(t => t.Name == normalized && !t.Removed, cancellationToken);
    }

    public static IResult NotFound(string name) =>
        ApiProblems.NotFound($"There is no target named {name}");
}
