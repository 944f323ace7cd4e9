using System.ComponentModel.DataAnnotations;
using Gatehouse.Authentication.Lockout;

namespace Gatehouse.Authentication;

/// <summary>The service's own settings, from <c>Gatehouse:Authentication</c>.</summary>
public sealed class AuthenticationSettings
{
    public const string Section = "Gatehouse:Authentication";

    /// <summary>
    /// This service's subfolder of the state folder (<c>Gatehouse:State</c>), where the first-run bootstrap secret
    /// lives. Only this service's OS user should read it.
    /// </summary>
    public const string StateFolder = "authentication";

    /// <summary>AES-256 key (base64, 32 bytes) that encrypts TOTP secrets at rest. Set from the environment, never in appsettings.</summary>
    public string? SecretsKey { get; set; }

    /// <summary>Names <see cref="SecretsKey"/> inside every ciphertext, so a new key can take over while old secrets still decrypt.</summary>
    [Required, RegularExpression("^[A-Za-z0-9_-]{1,32}$")]
    public string SecretsKeyId { get; set; } = "1";

    /// <summary>Earlier keys by id, kept only to decrypt secrets written before a rotation.</summary>
    public Dictionary<string, string> RetiredSecretsKeys { get; set; } = [];

    /// <summary>Shown in authenticator apps next to the user name.</summary>
    [Required]
    public string TotpIssuer { get; set; } = "Gatehouse";

    public PasswordHashingSettings PasswordHashing { get; set; } = new();

    public LockoutSettings Lockout { get; set; } = new();

    public TokenSettings Tokens { get; set; } = new();
}

/// <summary>Argon2id cost. Raise it until hashing takes ~0.5 s on the production hardware.</summary>
public sealed class PasswordHashingSettings
{
    [Range(1024, 4 * 1024 * 1024)]
    public int MemoryKiB { get; set; } = 64 * 1024;

    [Range(1, 100)]
    public int Iterations { get; set; } = 3;

    [Range(1, 64)]
    public int Parallelism { get; set; } = 1;
}

/// <summary>
/// How failed password and second-factor guesses are slowed down (the README's "Failed logins, throttling and
/// break-glass"): per source address, per user name at a source address, and per account only by policy. Public keys
/// are never throttled here: they cannot be guessed.
/// </summary>
public sealed class LockoutSettings
{
    /// <summary>Failures of one factor from one address, for any user names, within <see cref="Window"/> that block the address for that factor.</summary>
    [Range(1, 100000)]
    public int MaxFailuresPerSource { get; set; } = 20;

    /// <summary>Failures of one factor for one user name from one address within <see cref="Window"/> that block that pair.</summary>
    [Range(1, 1000)]
    public int MaxFailuresPerUserAndSource { get; set; } = 5;

    /// <summary>
    /// Password failures for one user name from all addresses within <see cref="Window"/> that lock the account's password
    /// (not its keys); 0, the default, never locks an account for password failures.
    /// </summary>
    [Range(0, 100000)]
    public int AccountLockAfterFailures { get; set; }

    /// <summary>Second-factor failures for one user name within <see cref="Window"/> that lock its second factor (only someone past the first factor reaches it).</summary>
    [Range(1, 1000)]
    public int MaxSecondFactorFailuresPerUser { get; set; } = 5;

    /// <summary>The most an account's password or second factor can be locked in any 24 hours: failures past it lock no more.</summary>
    public TimeSpan MaxAccountLockPerDay { get; set; } = TimeSpan.FromHours(1);

    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>The first block or lock's length; each further one without a success in between doubles it.</summary>
    public TimeSpan FirstLockout { get; set; } = TimeSpan.FromMinutes(1);

    public TimeSpan MaxLockout { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How long a first factor stays valid while the gateway asks for the TOTP code.</summary>
    public TimeSpan MfaGraceTime { get; set; } = TimeSpan.FromMinutes(2);
}

/// <summary>The API tokens this service signs for every Gatehouse HTTP API.</summary>
public sealed class TokenSettings
{
    [Required]
    public string Issuer { get; set; } = "gatehouse-authentication";

    [Required]
    public string Audience { get; set; } = "gatehouse-api";

    public TimeSpan Lifetime { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// How long after a rotation the new key starts signing. The key is published at once, so this must exceed how
    /// often the other services re-read the JWKS (<c>Gatehouse:Api:JwksRefreshInterval</c>, 5 minutes by default).
    /// </summary>
    public TimeSpan SigningKeyActivationDelay { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// A PKCS#8 PEM file with an ES256 key that earlier versions kept in the state directory: taken over as the first
    /// signing key when the event store has none yet. Keys live (encrypted) in the event store since.
    /// </summary>
    public string? SigningKeyFile { get; set; }
}

/// <summary>
/// Checks the nested sections too: ValidateDataAnnotations stops at the top level, so an Argon2id cost of 8 KiB or a
/// zero lockout window would otherwise start silently.
/// </summary>
public static class AuthenticationSettingsProblems
{
    public static IReadOnlyList<string> Of(AuthenticationSettings settings)
    {
        var problems = new List<string>();
        foreach (var (section, value) in new (string, object)[]
                 {
                     ("PasswordHashing", settings.PasswordHashing), ("Lockout", settings.Lockout), ("Tokens", settings.Tokens),
                 })
        {
            var results = new List<ValidationResult>();
            Validator.TryValidateObject(value, new ValidationContext(value), results, validateAllProperties: true);
            problems.AddRange(results.Select(r => $"{AuthenticationSettings.Section}:{section}:{string.Join(",", r.MemberNames)}: {r.ErrorMessage}"));
        }

        var lockout = settings.Lockout;
        if (lockout.Window <= TimeSpan.Zero || lockout.FirstLockout <= TimeSpan.Zero || lockout.MaxLockout < lockout.FirstLockout
            || lockout.MfaGraceTime <= TimeSpan.Zero || lockout.MaxAccountLockPerDay <= TimeSpan.Zero || lockout.MaxAccountLockPerDay >= Throttle.Day)
        {
            problems.Add($"{AuthenticationSettings.Section}:Lockout: Window, FirstLockout and MfaGraceTime must be positive, MaxLockout at least FirstLockout, and MaxAccountLockPerDay more than zero and less than a day.");
        }

        if (settings.Tokens.Lifetime <= TimeSpan.Zero || settings.Tokens.SigningKeyActivationDelay < TimeSpan.Zero)
        {
            problems.Add($"{AuthenticationSettings.Section}:Tokens: Lifetime must be positive and SigningKeyActivationDelay not negative.");
        }

        return problems;
    }
}
