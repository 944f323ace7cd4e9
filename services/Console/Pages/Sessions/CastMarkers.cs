using System.Text;
using System.Text.Json;

namespace Gatehouse.WebConsole.Pages.Sessions;

/// <summary>
/// Writes a recording with a marker event (<c>[time, "m", label]</c>, asciicast v2) at each command, so the download
/// carries what the page's player shows: <c>asciinema play -m</c> stops at each. Streamed line by line, never held whole.
/// </summary>
public static class CastMarkers
{
    public static async Task WriteAsync(Stream recording, Stream destination, IReadOnlyList<(double Seconds, string Label)> markers,
        CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(recording, Encoding.UTF8);
        await using var writer = new StreamWriter(destination, new UTF8Encoding(false), leaveOpen: true);
        var pending = markers.OrderBy(m => m.Seconds).ToList();
        var next = 0;
        var header = true;
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            // Markers go before the first event at or after their time; the header line and anything unreadable pass as they are.
            if (!header && TimeOf(line) is { } at)
            {
                for (; next < pending.Count && pending[next].Seconds <= at; next++)
                {
                    await WriteMarkerAsync(writer, pending[next], cancellationToken);
                }
            }

            header = false;
            await writer.WriteAsync((line + "\n").AsMemory(), cancellationToken);
        }

        for (; next < pending.Count; next++)
        {
            await WriteMarkerAsync(writer, pending[next], cancellationToken);
        }
    }

    private static Task WriteMarkerAsync(StreamWriter writer, (double Seconds, string Label) marker, CancellationToken cancellationToken) =>
        writer.WriteAsync((JsonSerializer.Serialize(new object[] { marker.Seconds, "m", marker.Label }) + "\n").AsMemory(), cancellationToken);

    /// <summary>An event line's time: the first element of its array.</summary>
    private static double? TimeOf(string line)
    {
        try
        {
            var json = new Utf8JsonReader(Encoding.UTF8.GetBytes(line));
            return json.Read() && json.TokenType == JsonTokenType.StartArray && json.Read() && json.TokenType == JsonTokenType.Number
                ? json.GetDouble()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
