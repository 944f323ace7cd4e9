using System.Text.RegularExpressions;

namespace Gatehouse.Audit.Soc.Sessions;

/// <summary>
/// Finds a session's recording in the recordings folder the SessionBroker writes and this service reads. The place comes
/// from the session's <c>SessionEnded</c> event; it arrived over the bus, so it is used only in the form the gateway writes
/// (<c>yyyy/MM/dd/{id}.cast</c>, for this session's id), never as a path that could leave the folder.
/// </summary>
public static partial class RecordingFiles
{
    public static string? Find(string recordingsDirectory, SessionView view)
    {
        var root = Path.GetFullPath(recordingsDirectory);
        if (view.Recording is { } recorded)
        {
            return Placed().Match(recorded) is { Success: true } place && Guid.Parse(place.Groups["id"].Value) == view.Id
                   && Path.Combine(root, recorded) is var file && File.Exists(file)
                ? file
                : null;
        }

        // Sessions that ended before SessionEnded carried the place: the gateway filed them by the UTC day they started,
        // and the day either side is tried, since its start time and the SessionStarted time can straddle midnight.
        var day = view.StartedAt.UtcDateTime.Date;
        return new[] { day, day.AddDays(-1), day.AddDays(1) }
            .Select(d => Path.Combine(root, d.ToString("yyyy"), d.ToString("MM"), d.ToString("dd"), $"{view.Id:D}.cast"))
            .FirstOrDefault(File.Exists);
    }

    [GeneratedRegex(@"^[0-9]{4}/[0-9]{2}/[0-9]{2}/(?<id>[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.cast\z")]
    private static partial Regex Placed();
}
