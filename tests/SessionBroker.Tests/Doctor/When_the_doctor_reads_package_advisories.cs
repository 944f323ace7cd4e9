using System.Text.Json;
using Gatehouse.Contracts;
using Gatehouse.SessionBroker.Doctor;

namespace Gatehouse.SessionBroker.Tests.Doctor;

/// <summary>The running build's NuGet packages (from deps.json) against the dated advisory table.</summary>
public sealed class When_the_doctor_reads_package_advisories
{
    private static readonly PackageAdvisoryTable Shipped =
        PackageAdvisoryTable.Parse(File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, PackageAdvisoryTable.ShippedFileName))).Table!;

    private static IReadOnlyList<PostureFinding> Judge(string package, string version) =>
        PackageAdvisories.Judge(new Dictionary<string, IReadOnlyDictionary<string, string>>
        {
            ["Gatehouse.SessionBroker"] = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { [package] = version },
        }, Shipped);

    public static TheoryData<string, string, string> Cases => new()
    {
        // package, version, the advisory ids found (comma-separated)
        { "Npgsql", "8.0.1", "GHSA-x9vc-6hfv-hg8c" },
        { "Npgsql", "8.0.3", "" },
        { "Npgsql", "7.0.6", "GHSA-x9vc-6hfv-hg8c" },
        { "Npgsql", "10.0.3", "" },
        { "BouncyCastle.Cryptography", "2.3.0", "GHSA-8xfc-gm6g-vgpv,GHSA-v435-xc8x-wvr9,GHSA-m44j-cfrm-g8qc" },
        { "BouncyCastle.Cryptography", "2.3.1", "" },
        { "BouncyCastle.Cryptography", "2.3.1-beta1", "GHSA-8xfc-gm6g-vgpv,GHSA-v435-xc8x-wvr9,GHSA-m44j-cfrm-g8qc" },
        { "ssh.net", "2020.0.1", "GHSA-72p8-v4hg-v45p" },
        { "SSH.NET", "2026.0.0", "" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void A_package_in_an_affected_range_is_a_finding_naming_the_service_and_the_fix(string package, string version, string expected)
    {
        var findings = Judge(package, version);

        Assert.Equal(expected, string.Join(",", findings.Select(f => f.Code)));
        Assert.All(findings, f => Assert.Contains($"Gatehouse.SessionBroker ({package} {version})", f.Title, StringComparison.OrdinalIgnoreCase));
        Assert.All(findings, f => Assert.True(f.Vulnerability));
    }

    [Fact]
    public void This_builds_own_deps_json_has_no_listed_advisory_and_names_its_packages()
    {
        using var deps = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Gatehouse.SessionBroker.deps.json")));
        var packages = PackageAdvisories.PackagesOf(deps);

        Assert.True(packages.ContainsKey("Npgsql") && packages.ContainsKey("BouncyCastle.Cryptography"), string.Join(", ", packages.Keys));
        Assert.DoesNotContain(packages.Keys, k => k.StartsWith("Gatehouse.", StringComparison.Ordinal));
        Assert.Empty(PackageAdvisories.Judge(new Dictionary<string, IReadOnlyDictionary<string, string>> { ["Gatehouse.SessionBroker"] = packages }, Shipped));
    }

    [Theory]
    [InlineData("GHSA-x package=Npgsql affected=1.0 fixed=2.0 severity=high source=https://e.example title=t", "date")]
    [InlineData("date 2026-12-04\nGHSA-x package=Npgsql affected=2.0 fixed=1.0 severity=high source=https://e.example title=t", "affected before fixed")]
    [InlineData("date 2026-12-04\nGHSA-x package=Npgsql affected=1.0 fixed=2.0 severity=bad source=https://e.example title=t", "severity")]
    [InlineData("date 2026-12-04\nGHSA-x package=Npgsql affected=1.0 fixed=2.0 severity=high source=http://e.example title=t", "https")]
    [InlineData("date 2026-12-04\nCVE-2024-1 package=Npgsql affected=1.0 fixed=2.0 severity=high source=https://e.example title=t", "GHSA")]
    public void A_table_that_cannot_be_trusted_is_refused_with_its_reason(string text, string reason)
    {
        var (table, problem) = PackageAdvisoryTable.Parse(text.Split('\n'));

        Assert.Null(table);
        Assert.Contains(reason, problem);
    }
}
