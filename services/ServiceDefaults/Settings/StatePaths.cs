using Gatehouse.Vocabulary;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace Gatehouse.ServiceDefaults.Settings;

/// <summary>
/// The local state folder of <see cref="StateFolder.ConfigurationKey"/> (default ./.gatehouse under the content root),
/// under which each service keeps its own subfolder and resolves the relative paths of its settings.
/// </summary>
public sealed class StatePaths(IConfiguration configuration, IHostEnvironment environment)
{
    public string Root { get; } = StateFolder.Root(configuration[StateFolder.ConfigurationKey], environment.ContentRootPath);

    public string Resolve(string path) => StateFolder.Resolve(Root, path);
}
