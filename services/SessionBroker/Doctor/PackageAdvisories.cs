using System.Globalization;
using System.Text.Json;
using Gatehouse.Contracts;
using NuGet.Versioning;

namespace Gatehouse.SessionBroker.Doctor;

/// <summary>One affected range of a published advisory on a NuGet package (versions compared as NuGet compares them).</summary>
public sealed record PackageAdvisory(string Id, string Package, VersionRange Affected, FindingSeverity Severity, string Source, string Title);

/// <summary>The dated table of NuGet advisories the doctor judges the running build's packages by (format in its header).</summary>
public sealed record PackageAdvisoryTable(DateOnly Date, IReadOnlyList<PackageAdvisory> Advisories)
{
    public const string ShippedFileName = "nuget-advisories.table";

    /// <summary>The table, or why it cannot be read (line and reason).</summary>
    public static (PackageAdvisoryTable? Table, string? Problem) Parse(IReadOnlyList<string> lines)
    {
        DateOnly? date = null;
        var advisories = new List<PackageAdvisory>();
        for (var i = 0; i < lines.Count; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            if (line.StartsWith("date ", StringComparison.Ordinal))
            {
                if (!DateOnly.TryParseExact(line[5..].Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
                    return (null, $"line {i + 1}: the date is not yyyy-MM-dd");
                date = d;
                continue;
            }

            var titleAt = line.IndexOf(" title=", StringComparison.Ordinal);
            if (titleAt < 0) return (null, $"line {i + 1}: no title= (it must come last)");
            var tokens = line[..titleAt].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var fields = tokens.Skip(1).Select(t => t.Split('=', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1], StringComparer.Ordinal);
            if (fields.Count != tokens.Length - 1) return (null, $"line {i + 1}: every field must be key=value");
            var affected = NuGetVersion.TryParse(fields.GetValueOrDefault("affected"), out var a) ? a : null;
            var fixedIn = NuGetVersion.TryParse(fields.GetValueOrDefault("fixed"), out var f) ? f : null;
            if (!tokens[0].StartsWith("GHSA-", StringComparison.Ordinal)) return (null, $"line {i + 1}: '{tokens[0]}' is not a GHSA id");
            if (fields.GetValueOrDefault("package") is not { Length: > 0 } package) return (null, $"line {i + 1}: no package=");
            if (affected is null || fixedIn is null || affected >= fixedIn) return (null, $"line {i + 1}: affected= and fixed= must be versions, affected before fixed");
            if (!Enum.TryParse<FindingSeverity>(fields.GetValueOrDefault("severity"), ignoreCase: true, out var severity))
                return (null, $"line {i + 1}: severity must be info, low, medium, high or critical");
            if (!Uri.TryCreate(fields.GetValueOrDefault("source"), UriKind.Absolute, out var source) || source.Scheme != "https")
                return (null, $"line {i + 1}: source must be an https URL");
            advisories.Add(new PackageAdvisory(tokens[0], package, new VersionRange(affected, true, fixedIn, false), severity, source.ToString(),
                line[(titleAt + 7)..].Trim()));
        }

        return date is { } dated ? (new PackageAdvisoryTable(dated, advisories), null) : (null, "no 'date yyyy-MM-dd' line");
    }
}

/// <summary>
/// The NuGet packages a service was built with, from its deps.json, judged against <see cref="PackageAdvisoryTable"/>.
/// Pure but for reading the files; a deps.json that cannot be read is a finding of its own.
/// </summary>
public static class PackageAdvisories
{
    /// <summary>Package id to version of every NuGet package in a deps.json ("libraries" of type package).</summary>
    public static IReadOnlyDictionary<string, string> PackagesOf(JsonDocument depsJson)
    {
        var packages = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (!depsJson.RootElement.TryGetProperty("libraries", out var libraries)) return packages;
        foreach (var library in libraries.EnumerateObject())
        {
            var slash = library.Name.IndexOf('/');
            if (slash > 0 && library.Value.TryGetProperty("type", out var type) && type.GetString() == "package")
            {
                packages[library.Name[..slash]] = library.Name[(slash + 1)..];
            }
        }

        return packages;
    }

    /// <param name="services">Each service's name and its packages (id to version).</param>
    public static IReadOnlyList<PostureFinding> Judge(IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> services, PackageAdvisoryTable table)
    {
        var findings = new List<PostureFinding>();
        foreach (var advisory in table.Advisories)
        {
            var affected = services
                .Where(s => s.Value.TryGetValue(advisory.Package, out var text) && NuGetVersion.TryParse(text, out var v) && advisory.Affected.Satisfies(v))
                .Select(s => $"{s.Key} ({advisory.Package} {s.Value[advisory.Package]})")
                .ToList();
            if (affected.Count > 0)
            {
                findings.Add(new PostureFinding(advisory.Id, advisory.Severity, $"{advisory.Title}: {string.Join(", ", affected)}",
                    $"Install a Gatehouse release built with a version of {advisory.Package} outside {advisory.Affected.PrettyPrint()}; see {advisory.Source}",
                    Vulnerability: true));
            }
        }

        return findings;
    }
}
