namespace Gatehouse.SessionBroker;

/// <summary>Resolves relative paths of the settings under the local state folder (<c>Gatehouse:State</c>, default ./.gatehouse).</summary>
public sealed class StatePaths(IConfiguration configuration, IHostEnvironment environment)
{
    public string Root { get; } = Path.GetFullPath(configuration["Gatehouse:State"] is { Length: > 0 } state
        ? state
        : Path.Combine(environment.ContentRootPath, ".gatehouse"));

    public string Resolve(string path) => Path.GetFullPath(Path.Combine(Root, path));
}
