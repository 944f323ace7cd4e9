using System.Text.RegularExpressions;
using Gatehouse.EndToEnd.Tests.Support;
using Gatehouse.TestSupport;

namespace Gatehouse.EndToEnd.Tests.FirstMinute;

/// <summary>
/// ./deploy/run.sh on a fresh machine must find every program it calls: each one comes from a package that
/// deploy/packages lists in the section the command installs (or one such a package depends on, or Debian's essential
/// set). run.sh once died at the demo's /usr/sbin/sshd because only test.sh installed openssh-server, and CI runs
/// test.sh first, so nothing ever saw it.
/// </summary>
public sealed partial class When_a_script_calls_a_program
{
    // The one prerequisite the README names that is not a Debian package.
    private static readonly HashSet<string> Prerequisites = ["dotnet"];

    [Fact]
    public async Task Should_find_every_program_run_sh_calls_in_the_run_packages()
    {
        var programs = Programs("run.sh", "infra.sh", "demo.sh");
        // The reader must see the calls that matter, or an empty list would pass.
        Assert.Superset(new HashSet<string> { "/usr/sbin/sshd", "ssh-keygen", "rabbitmqctl", "psql", "curl", "openssl" }, programs.ToHashSet());

        await AssertInstalledByAsync(programs, "run");
    }

    [Fact]
    public async Task Should_find_every_program_test_sh_calls_in_the_listed_packages()
    {
        var programs = Programs("test.sh");
        Assert.Contains("docker-compose", programs);

        await AssertInstalledByAsync(programs, "run", "test");
    }

    [Fact]
    public async Task Should_find_every_listed_package_installed_here()
    {
        // infra.sh installs the packages the checks above resolve through; one that is not installed is a wrong name.
        var listed = Listed("run", "test");
        var missing = new List<string>();
        foreach (var package in listed)
        {
            if ((await DpkgAsync("dpkg-query", "-W", "-f=${Status}", package)) is not { } status || !status.Contains("installed"))
            {
                missing.Add(package);
            }
        }

        Assert.True(missing.Count == 0, $"deploy/packages names {string.Join(", ", missing)}, not installed here: run ./deploy/infra.sh up test");
    }

    private static IReadOnlySet<string> Programs(params string[] scripts)
    {
        var programs = scripts.SelectMany(s => ShellScript.ProgramsCalled(File.ReadAllText(Path.Combine(Infrastructure.RepositoryRoot, "deploy", s))))
            .ToHashSet();
        programs.ExceptWith(Builtins.Value);
        programs.ExceptWith(Prerequisites);
        return programs;
    }

    private static async Task AssertInstalledByAsync(IReadOnlySet<string> programs, params string[] sections)
    {
        var provided = await WithDependenciesAsync(Listed(sections));
        var unprovided = new List<string>();
        foreach (var program in programs.Order(StringComparer.Ordinal))
        {
            var package = await PackageOfAsync(program);
            if (package is null || !(provided.Contains(package) || await EssentialAsync(package)))
            {
                unprovided.Add($"{program} ({(package is null ? "no Debian package provides it here" : "from " + package)})");
            }
        }

        Assert.True(unprovided.Count == 0,
            $"the scripts call programs that the [{string.Join("] and [", sections)}] packages of deploy/packages do not install: "
            + string.Join(", ", unprovided));
    }

    /// <summary>The packages of the named sections, as deploy/infra.sh reads them.</summary>
    private static List<string> Listed(params string[] sections)
    {
        var section = "";
        var packages = new List<string>();
        foreach (var raw in File.ReadLines(Path.Combine(Infrastructure.RepositoryRoot, "deploy", "packages")))
        {
            var line = raw.Split('#')[0].Trim();
            if (SectionHeader().Match(line) is { Success: true } header)
            {
                section = header.Groups[1].Value;
            }
            else if (line.Length > 0 && sections.Contains(section))
            {
                packages.Add(line.Split(' ')[0]);
            }
        }

        return packages;
    }

    /// <summary>The packages and, recursively, every installed package they depend on.</summary>
    private static async Task<HashSet<string>> WithDependenciesAsync(IEnumerable<string> packages)
    {
        var seen = new HashSet<string>();
        var queue = new Queue<string>(packages);
        while (queue.TryDequeue(out var package))
        {
            if (!seen.Add(package) || await DpkgAsync("dpkg-query", "-W", "-f=${Depends}, ${Pre-Depends}", package) is not { } depends)
            {
                continue;
            }

            foreach (var alternative in depends.Split([',', '|'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                queue.Enqueue(alternative.Split(' ', '(', ':')[0]);
            }
        }

        return seen;
    }

    private static async Task<string?> PackageOfAsync(string program)
    {
        var path = program.Contains('/') ? program : await DpkgAsync("/bin/sh", "-c", "command -v \"$0\"", program);
        if (string.IsNullOrWhiteSpace(path) || !File.Exists(path = path.Trim()))
        {
            return null;
        }

        // dpkg knows a file by the path its package shipped: before the /usr merge (/bin/...), or behind a symlink the
        // alternatives system made (/usr/bin/awk -> mawk).
        var real = new FileInfo(path).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? path;
        foreach (var candidate in new[] { path, real }.SelectMany(p => new[] { p, UsrMerge().Replace(p, "/") }).Distinct())
        {
            if (await DpkgAsync("dpkg-query", "-S", candidate) is { } owner)
            {
                return owner.Split(':')[0].Trim();
            }
        }

        return null;
    }

    private static async Task<bool> EssentialAsync(string package) =>
        await DpkgAsync("dpkg-query", "-W", "-f=${Essential} ${Priority}", package) is { } fields
        && (fields.StartsWith("yes", StringComparison.Ordinal) || fields.EndsWith("required", StringComparison.Ordinal));

    private static async Task<string?> DpkgAsync(string program, params string[] arguments)
    {
        var result = await Processes.RunAsync(program, arguments);
        return result.ExitCode == 0 ? result.Text : null;
    }

    // Shell builtins and keywords are not programs to install.
    private static readonly Lazy<HashSet<string>> Builtins = new(() =>
    {
        var result = Processes.RunAsync("bash", ["-c", "compgen -b; compgen -k"]).GetAwaiter().GetResult();
        return result.Text.Split('\n', StringSplitOptions.RemoveEmptyEntries).ToHashSet();
    });

    [GeneratedRegex(@"^\[([a-z]+)\]$")]
    private static partial Regex SectionHeader();

    [GeneratedRegex(@"^/usr/")]
    private static partial Regex UsrMerge();
}
