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
}

/// <summary>How the audit store is sealed: <c>Gatehouse:Audit:Integrity</c>.</summary>
public sealed class IntegritySettings
{
    /// <summary>Base64 of the 32-byte Ed25519 private key that signs digests (from the environment, never appsettings).</summary>
    public string? SigningKey { get; set; }

    /// <summary>A file holding that key instead; created with a new key on first start when <see cref="SigningKey"/> is not set.</summary>
    public string? SigningKeyFile { get; set; }

    /// <summary>The most events one digest seals.</summary>
    public int MaxEventsPerDigest { get; set; } = 1000;
}
