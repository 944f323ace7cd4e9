using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Gatehouse.EndToEnd.Tests.Support;

/// <summary>Reads an asciicast v2 recording the way a player would.</summary>
public sealed record Recording(string Path, JsonElement Header, IReadOnlyList<(double Time, string Code, string Data)> Events)
{
    public string Output => string.Concat(Events.Where(e => e.Code == "o").Select(e => e.Data));

    public string Sha256 => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Path)));

    public static Recording Read(string directory, Guid sessionId)
    {
        var path = Directory.EnumerateFiles(directory, $"{sessionId}.cast", SearchOption.AllDirectories).Single();
        var lines = File.ReadAllLines(path, Encoding.UTF8);
        var header = JsonSerializer.Deserialize<JsonElement>(lines[0]);
        var events = lines.Skip(1).Where(l => l.Length > 0).Select(l =>
        {
            var e = JsonSerializer.Deserialize<JsonElement>(l);
            return (e[0].GetDouble(), e[1].GetString()!, e[2].GetString()!);
        }).ToList();
        return new Recording(path, header, events);
    }
}
