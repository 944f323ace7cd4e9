using Gatehouse.ServiceDefaults.Settings;
using Gatehouse.Vocabulary;
using Microsoft.Extensions.Options;

namespace Gatehouse.SessionBroker.Recording;

/// <summary>
/// The filesystem store of session recordings: one asciicast file per session under
/// <c>Gatehouse:Gateway:RecordingDirectory</c>/yyyy/MM/dd/, created exclusively and readable by the service only.
/// </summary>
public sealed class RecordingStore(IOptions<GatewaySettings> settings, StatePaths paths)
{
    private readonly string _root = paths.Resolve(settings.Value.RecordingDirectory);

    public string PathOf(Guid sessionId, DateTimeOffset startedAt) => Path.Combine(_root, RelativePathOf(sessionId, startedAt));

    /// <summary>The recording's place under the recordings folder, as <see cref="Gatehouse.Contracts.SessionEnded"/> carries it.</summary>
    public static string RelativePathOf(Guid sessionId, DateTimeOffset startedAt) =>
        $"{startedAt.UtcDateTime:yyyy}/{startedAt.UtcDateTime:MM}/{startedAt.UtcDateTime:dd}/{sessionId:D}.cast";

    public FileStream Create(Guid sessionId, DateTimeOffset startedAt)
    {
        var path = PathOf(sessionId, startedAt);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        return PrivateFiles.Create(path, FileShare.Read, FileOptions.Asynchronous);
    }

    /// <summary>Opens a finished or running recording for reading.</summary>
    public FileStream? Open(Guid sessionId, DateTimeOffset startedAt)
    {
        var path = PathOf(sessionId, startedAt);
        return File.Exists(path) ? new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite) : null;
    }
}
