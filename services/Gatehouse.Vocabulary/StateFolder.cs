namespace Gatehouse.Vocabulary;

/// <summary>
/// The local state folder (host and signing keys, secrets, recordings): one setting, <c>Gatehouse:State</c>
/// (<c>Gatehouse__State</c>, which deploy/run.sh sets from GATEHOUSE_STATE), in which each service keeps its own subfolder.
/// </summary>
public static class StateFolder
{
    public const string ConfigurationKey = "Gatehouse:State";

    /// <summary>Where state goes when nothing is configured: under the service's content root, as a checkout runs it.</summary>
    public const string DefaultFolderName = ".gatehouse";

    public static string Root(string? configured, string contentRoot) =>
        Path.GetFullPath(string.IsNullOrWhiteSpace(configured) ? Path.Combine(contentRoot, DefaultFolderName) : configured);

    /// <summary>A path of the settings under the root; an absolute path stays as it is.</summary>
    public static string Resolve(string root, string path) => Path.GetFullPath(Path.Combine(root, path));
}
