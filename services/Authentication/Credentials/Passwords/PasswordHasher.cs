using System.Security.Cryptography;
using System.Text;
using Konscious.Security.Cryptography;
using Microsoft.Extensions.Options;

namespace Gatehouse.Authentication.Credentials.Passwords;

/// <summary>
/// Argon2id password hashes as PHC strings (<c>$argon2id$v=19$m=...,t=...,p=...$salt$hash</c>), so the cost
/// can be raised later and old hashes still verify with the parameters they were made with.
/// </summary>
public sealed class PasswordHasher(IOptions<AuthenticationSettings> settings)
{
    public const int MinLength = 12;
    public const int MaxLength = 1024;

    private const int SaltBytes = 16;
    private const int HashBytes = 32;

    public static string? Validate(string? password) =>
        password is null || password.Length < MinLength ? $"Password must be at least {MinLength} characters."
        : password.Length > MaxLength ? $"Password must be at most {MaxLength} characters."
        : null;

    public string Hash(string password)
    {
        var cost = settings.Value.PasswordHashing;
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        var hash = Compute(password, salt, cost.MemoryKiB, cost.Iterations, cost.Parallelism);
        return $"$argon2id$v=19$m={cost.MemoryKiB},t={cost.Iterations},p={cost.Parallelism}${B64(salt)}${B64(hash)}";
    }

    /// <summary>Constant-time check; false for anything that is not a hash this class made, and for a password no stored one can be.</summary>
    public static bool Verify(string password, string phc)
    {
        // Argon2 refuses an empty input; no stored password is empty (or longer than the maximum) anyway.
        if (password.Length is 0 or > MaxLength)
        {
            return false;
        }

        var parts = phc.Split('$');
        if (parts is not ["", "argon2id", "v=19", var parameters, var salt, var hash])
        {
            return false;
        }

        var values = parameters.Split(',').Select(p => p.Split('=')).ToDictionary(p => p[0], p => int.Parse(p[1]));
        var expected = Convert.FromBase64String(Pad(hash));
        var actual = Compute(password, Convert.FromBase64String(Pad(salt)), values["m"], values["t"], values["p"]);
        return CryptographicOperations.FixedTimeEquals(expected, actual);
    }

    private static byte[] Compute(string password, byte[] salt, int memoryKiB, int iterations, int parallelism)
    {
        using var argon = new Argon2id(Encoding.UTF8.GetBytes(password))
        {
            Salt = salt,
            MemorySize = memoryKiB,
            Iterations = iterations,
            DegreeOfParallelism = parallelism,
        };
        return argon.GetBytes(HashBytes);
    }

    private static string B64(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=');

    private static string Pad(string b64) => b64.PadRight(b64.Length + (4 - b64.Length % 4) % 4, '=');
}
