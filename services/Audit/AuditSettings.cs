using Gatehouse.ServiceDefaults.Settings;

namespace Gatehouse.Audit;

/// <summary>The Audit service's own settings, from <c>Gatehouse:Audit</c>.</summary>
public sealed class AuditSettings
{
    public const string Section = "Gatehouse:Audit";

    /// <summary>
    /// Hand the event table to the owner role at start (deploy/infra.sh provides the function that does it), so this
    /// service's own database role can only insert and read stored events. Off only where that function does not exist.
    /// </summary>
    public bool LockEventTable { get; set; } = true;

    /// <summary>Where session recordings (asciicast v2, named by session id) are read from for download.</summary>
    public string? RecordingsDirectory { get; set; }

    public IntegritySettings Integrity { get; set; } = new();

    public static IReadOnlyList<string> Problems(AuditSettings settings) =>
        settings.Integrity.MaxEventsPerDigest is < 1 or > IntegritySettings.MostEventsPerDigest
            ? [$"{Section}:Integrity:MaxEventsPerDigest must be between 1 and {IntegritySettings.MostEventsPerDigest} (it is {settings.Integrity.MaxEventsPerDigest})"]
            : [];
}

/// <summary>How the audit store is sealed: <c>Gatehouse:Audit:Integrity</c>.</summary>
public sealed class IntegritySettings
{
    /// <summary>Base64 of the 32-byte Ed25519 private key that signs digests (from the environment, never appsettings).</summary>
    public string? SigningKey { get; set; }

    /// <summary>A file holding that key instead; created with a new key on first start when <see cref="SigningKey"/> is not set.</summary>
    public string? SigningKeyFile { get; set; }

    /// <summary>A digest lists every event it seals, so it is kept to a size one read of the chain handles well.</summary>
    public const int MostEventsPerDigest = 10_000;

    /// <summary>The most events one digest seals.</summary>
    public int MaxEventsPerDigest { get; set; } = 1000;
}

public static class AuditSettingsRegistration
{
    public static IServiceCollection AddAuditSettings(this IServiceCollection services, IConfiguration configuration)
    {
        // A digest size the sealer cannot use would stop the chain: refuse it at start.
        services.AddSettings<AuditSettings>(configuration.GetSection(AuditSettings.Section), AuditSettings.Problems);
        return services;
    }
}
