using System.Security.Cryptography;
using System.Text;

namespace Gatehouse.Authentication.Credentials.Mfa;

/// <summary>
/// One-time recovery codes: 80 random bits each, shown once, stored only as SHA-256 hashes. Their entropy makes a
/// slow hash unnecessary, and a plain hash lets a login find the matching code in one pass.
/// </summary>
public static class RecoveryCodes
{
    public const int Count = 10;

    public static IReadOnlyList<string> Generate() =>
        Enumerable.Range(0, Count).Select(_ => Format(Base32.Encode(RandomNumberGenerator.GetBytes(10)))).ToArray();

    public static string Hash(string code) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(Canonical(code))));

    /// <summary>Recovery codes are 16 base32 characters, so a six-digit string is never taken for one.</summary>
    public static bool LooksLikeRecoveryCode(string code) => Canonical(code).Length == 16;

    private static string Canonical(string code) => code.Replace("-", "").Replace(" ", "").Trim().ToUpperInvariant();

    private static string Format(string code) => string.Join('-', code.Chunk(4).Select(c => new string(c)));
}
