using Gatehouse.TestSupport;

namespace Gatehouse.Audit.Tests.Integrity;

/// <summary>
/// The SQL that forbids changing or deleting audit events is security-critical: it was copied byte for byte into both the
/// Debian script and the compose PostgreSQL's init script, where one copy could drift. It lives in one file both use.
/// </summary>
public sealed class When_PostgreSQL_gets_the_audit_lock
{
    private const string Definition = "FUNCTION public.gatehouse_lock_audit_events";
    private static readonly string Deploy = Path.Combine(Infrastructure.RepositoryRoot, "deploy");

    [Fact]
    public void Should_be_defined_only_in_the_audit_lock_file()
    {
        Assert.Contains("CREATE OR REPLACE " + Definition, File.ReadAllText(Path.Combine(Deploy, "audit-lock.sql")));

        var copies = Directory.EnumerateFiles(Deploy).Append(Path.Combine(Infrastructure.RepositoryRoot, "docker-compose.yml"))
            .Where(f => Path.GetFileName(f) != "audit-lock.sql" && File.ReadAllText(f).Contains("CREATE OR REPLACE " + Definition))
            .Select(Path.GetFileName);
        Assert.Empty(copies);
    }

    [Fact]
    public void Should_be_run_by_both_ways_of_starting_PostgreSQL()
    {
        Assert.Contains("deploy/audit-lock.sql", File.ReadAllText(Path.Combine(Deploy, "infra.sh")));

        // The compose PostgreSQL runs its init folder in name order: the roles (10-) before the lock that names them (20-).
        Assert.Contains("./deploy/audit-lock.sql:/docker-entrypoint-initdb.d/20-audit-lock.sql:ro",
            File.ReadAllText(Path.Combine(Infrastructure.RepositoryRoot, "docker-compose.yml")));
        Assert.Contains("/docker-entrypoint-initdb.d/10-gatehouse.sh", File.ReadAllText(Path.Combine(Infrastructure.RepositoryRoot, "docker-compose.yml")));
    }
}
