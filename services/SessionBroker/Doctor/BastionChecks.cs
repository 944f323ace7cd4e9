using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Gatehouse.Contracts;

namespace Gatehouse.SessionBroker.Doctor;

/// <summary>
/// The checks of the bastion doctor, each on what the machine shows (/proc, the state folder, apt, the .NET release
/// data), each finding with its severity and its fix. A check that cannot look says so as a finding, never nothing.
/// </summary>
public static class BastionChecks
{
    /// <summary>Gatehouse services (by <paramref name="markers"/> in their command line) whose effective user is root.</summary>
    public static IReadOnlyList<PostureFinding> ServicesRunningAsRoot(string procRoot, IReadOnlyList<string> markers)
    {
        var findings = new List<PostureFinding>();
        foreach (var directory in Directory.EnumerateDirectories(procRoot))
        {
            if (!int.TryParse(Path.GetFileName(directory), out var pid))
            {
                continue;
            }

            try
            {
                var commandLine = File.ReadAllText(Path.Combine(directory, "cmdline")).Replace('\0', ' ').Trim();
                var marker = markers.FirstOrDefault(m => commandLine.Contains(m, StringComparison.Ordinal));
                var uid = File.ReadLines(Path.Combine(directory, "status")).FirstOrDefault(l => l.StartsWith("Uid:", StringComparison.Ordinal))
                    ?.Split('\t', StringSplitOptions.RemoveEmptyEntries).ElementAtOrDefault(2);
                if (marker is not null && uid == "0")
                {
                    findings.Add(new PostureFinding("service-as-root", FindingSeverity.Critical,
                        $"{marker} runs as root (pid {pid}: {Shorten(commandLine)})",
                        "Run each service as its own unprivileged user (deploy/systemd: User=gatehouse-<service>)"));
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // The process ended while it was read, or is not ours to read (then it is not ours to run either).
            }
        }

        return findings;
    }

    /// <summary>
    /// The state folder's entries and the folders above it, judged by <see cref="StateFiles.Judge"/>: secrets their owner's
    /// alone, owned by root or one of <paramref name="serviceUsers"/> (or the user running this), nothing replaceable by others.
    /// </summary>
    public static IReadOnlyList<PostureFinding> SecretFileModes(string stateRoot, IReadOnlyCollection<string>? serviceUsers = null)
    {
        if (OperatingSystem.IsWindows())
        {
            return [new PostureFinding("file-modes-not-checked", FindingSeverity.Medium, "File modes are not checked on Windows", "Check the state folder's ACLs by hand")];
        }

        if (!Directory.Exists(stateRoot))
        {
            return [new PostureFinding("state-folder-missing", FindingSeverity.Info, $"The state folder {stateRoot} does not exist yet", "Nothing to do before the first start")];
        }

        var paths = Directory.EnumerateFileSystemEntries(stateRoot, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint })
            .Prepend(stateRoot);
        var entries = new List<FileStatus>();
        var unreadable = new List<string>();
        foreach (var path in paths)
        {
            if (FileStatus.Read(path) is { } status) entries.Add(status);
            else unreadable.Add(path);
        }

        var parents = new List<FileStatus>();
        for (var parent = Path.GetDirectoryName(stateRoot); parent is not null; parent = Path.GetDirectoryName(parent))
        {
            if (FileStatus.Read(parent) is { } status) parents.Add(status);
            else unreadable.Add(parent);
        }

        var passwd = File.Exists("/etc/passwd") ? File.ReadLines("/etc/passwd") : [];
        var findings = StateFiles.Judge(stateRoot, entries, parents, StateFiles.Owners(passwd, serviceUsers ?? [], FileStatus.RunningUser())).ToList();
        // Enumeration skips folders it may not open (another service's, 0700 under deploy/systemd): say so, never a silent pass.
        findings.AddRange(StateFiles.NotListed(entries.Where(e => e.IsDirectory && !CanList(e.Path)).Select(e => e.Path).ToList()));
        if (unreadable.Count > 0)
        {
            findings.Add(new PostureFinding("state-not-checked", FindingSeverity.Medium,
                $"Owner and mode of {Shorten(string.Join(", ", unreadable))} could not be read: not checked", "Run the doctor as the service's user and check these by hand"));
        }

        return findings;
    }

    /// <summary>Sockets listening beyond loopback that are not among <paramref name="expected"/> (address:port or *:port).</summary>
    public static IReadOnlyList<PostureFinding> UnexpectedListeners(string procRoot, IReadOnlyCollection<string> expected)
    {
        var listening = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var (file, v6) in new[] { ("tcp", false), ("tcp6", true) })
        {
            var path = Path.Combine(procRoot, "net", file);
            if (!File.Exists(path)) continue;
            foreach (var line in File.ReadLines(path).Skip(1))
            {
                var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (fields.Length < 4 || fields[3] != "0A") continue;
                var (address, port) = Endpoint(fields[1], v6);
                if (!IPAddress.IsLoopback(address) && !(address.IsIPv4MappedToIPv6 && IPAddress.IsLoopback(address.MapToIPv4())))
                {
                    var shown = address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{address}]:{port}" : $"{address}:{port}";
                    if (!expected.Contains(shown) && !expected.Contains($"*:{port}"))
                    {
                        listening.Add(shown);
                    }
                }
            }
        }

        return listening.Count == 0
            ? []
            : [new PostureFinding("unexpected-listener", FindingSeverity.Medium,
                $"Listening beyond loopback besides the gateway and the configured APIs: {string.Join(", ", listening)}",
                "Stop what does not belong on a bastion, bind it to 127.0.0.1, or add it to Gatehouse:Doctor:ExpectedListeners")];
    }

    /// <summary>Security updates apt would install now (from the package lists as last fetched; their age is reported too).</summary>
    public static async Task<IReadOnlyList<PostureFinding>> PendingSecurityUpdatesAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (!File.Exists("/usr/bin/apt-get"))
        {
            return [new PostureFinding("updates-not-checked", FindingSeverity.Medium, "apt-get is not here, so pending security updates were not checked",
                "Check the operating system's security updates with its own tools")];
        }

        var findings = new List<PostureFinding>();
        var lists = new DirectoryInfo("/var/lib/apt/lists");
        var fetched = lists.Exists ? lists.EnumerateFiles().Select(f => (DateTimeOffset?)f.LastWriteTimeUtc).Max() : null;
        if (fetched is null || now - fetched > TimeSpan.FromDays(7))
        {
            findings.Add(new PostureFinding("package-lists-stale", FindingSeverity.Medium,
                fetched is null ? "apt has no package lists: pending updates are unknown" : $"apt's package lists are from {fetched:yyyy-MM-dd}: newer updates are unknown",
                "Run apt-get update regularly (unattended-upgrades does)"));
        }

        var (exitCode, output) = await RunAsync("/usr/bin/apt-get", ["-s", "-o", "Debug::NoLocking=1", "dist-upgrade"], TimeSpan.FromSeconds(60), cancellationToken);
        if (exitCode != 0)
        {
            findings.Add(new PostureFinding("updates-not-checked", FindingSeverity.Medium, $"apt-get -s dist-upgrade failed: {Shorten(output)}",
                "Run it by hand and repair apt"));
            return findings;
        }

        var security = output.Split('\n').Where(l => l.StartsWith("Inst ", StringComparison.Ordinal) && l.Contains("-security", StringComparison.OrdinalIgnoreCase))
            .Select(l => l.Split(' ')[1]).ToList();
        if (security.Count > 0)
        {
            findings.Add(new PostureFinding("security-updates-pending", FindingSeverity.High,
                $"{security.Count} security updates are pending: {string.Join(", ", security.Take(15))}{(security.Count > 15 ? ", ..." : "")}",
                "apt-get update && apt-get upgrade (and turn on unattended-upgrades)"));
        }

        return findings;
    }

    /// <summary>Whether the running .NET runtime has a newer security release, from Microsoft's release data; unreachable is a finding.</summary>
    public static async Task<IReadOnlyList<PostureFinding>> RuntimeSecurityReleasesAsync(HttpClient http, string releasesUrl, Version running,
        CancellationToken cancellationToken)
    {
        var channel = $"{running.Major}.{running.Minor}";
        JsonDocument releases;
        try
        {
            await using var stream = await http.GetStreamAsync(string.Format(CultureInfo.InvariantCulture, releasesUrl, channel), cancellationToken);
            releases = await JsonDocument.ParseAsync(stream, cancellationToken: cancellationToken);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException)
        {
            return [new PostureFinding("runtime-not-checked", FindingSeverity.Medium,
                $"The .NET release data is not reachable ({e.Message}): known vulnerabilities of runtime {running} were not checked",
                "Allow the check to reach builds.dotnet.microsoft.com, or compare the runtime with https://dotnet.microsoft.com/download by hand")];
        }

        using (releases)
        {
            var newerSecurity = releases.RootElement.GetProperty("releases").EnumerateArray()
                .Where(r => r.TryGetProperty("security", out var s) && s.ValueKind == JsonValueKind.True)
                .Select(r => r.GetProperty("runtime").GetProperty("version").GetString())
                .Where(v => Version.TryParse(v?.Split('-')[0], out var parsed) && parsed > running)
                .ToList();
            return newerSecurity.Count == 0
                ? []
                : [new PostureFinding("runtime-security-release", FindingSeverity.High,
                    $".NET runtime {running} is behind security releases {string.Join(", ", newerSecurity)}",
                    $"Install the latest .NET {channel} runtime and restart the services")];
        }
    }

    private static (IPAddress Address, int Port) Endpoint(string hex, bool v6)
    {
        var parts = hex.Split(':');
        var bytes = Convert.FromHexString(parts[0]);
        // /proc/net prints each 32-bit word in host (little-endian) order.
        for (var i = 0; i < bytes.Length; i += 4)
        {
            Array.Reverse(bytes, i, 4);
        }

        return (new IPAddress(v6 ? bytes : bytes[..4]), int.Parse(parts[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture));
    }

    private static bool CanList(string directory)
    {
        try
        {
            using var entries = Directory.EnumerateFileSystemEntries(directory).GetEnumerator();
            entries.MoveNext();
            return true;
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            return false;
        }
    }

    private static string Shorten(string text) => text.Length <= 200 ? text : text[..200] + "...";

    private static async Task<(int ExitCode, string Output)> RunAsync(string program, string[] arguments, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(program, arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["LC_ALL"] = "C";
        using var process = Process.Start(start)!;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            var output = process.StandardOutput.ReadToEndAsync(deadline.Token);
            var error = process.StandardError.ReadToEndAsync(deadline.Token);
            await process.WaitForExitAsync(deadline.Token);
            return (process.ExitCode, await output + await error);
        }
        catch (OperationCanceledException)
        {
            process.Kill(true);
            return (-1, $"{program} did not finish in {timeout.TotalSeconds:0} s");
        }
    }
}
