using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Gatehouse.Authentication.Credentials.Mfa;

/// <summary>RFC 6238 time-based one-time passwords (HOTP of RFC 4226 over 30-second steps).</summary>
public static class Totp
{
    public const int StepSeconds = 30;
    public const int Digits = 6;

    /// <summary>Codes from one step before and after the current one are accepted, for clock drift.</summary>
    public const int AllowedDriftSteps = 1;

    public static long TimeStep(DateTimeOffset time) => time.ToUnixTimeSeconds() / StepSeconds;

    public static string Code(byte[] secret, long timeStep, int digits = Digits, HashAlgorithmName? algorithm = null)
    {
        Span<byte> counter = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(counter, timeStep);
        var hash = (algorithm ?? HashAlgorithmName.SHA1).Name switch
        {
            "SHA256" => HMACSHA256.HashData(secret, counter),
            "SHA512" => HMACSHA512.HashData(secret, counter),
            _ => HMACSHA1.HashData(secret, counter),
        };
        var offset = hash[^1] & 0x0f;
        var binary = BinaryPrimitives.ReadInt32BigEndian(hash.AsSpan(offset)) & 0x7fffffff;
        return (binary % (int)Math.Pow(10, digits)).ToString().PadLeft(digits, '0');
    }

    /// <summary>
    /// The time step <paramref name="code"/> belongs to, within the allowed drift and strictly after
    /// <paramref name="lastUsedStep"/> (so each code works once), or null.
    /// </summary>
    public static long? Match(byte[] secret, string code, DateTimeOffset now, long lastUsedStep)
    {
        if (code.Length != Digits || !code.All(char.IsAsciiDigit))
        {
            return null;
        }

        var current = TimeStep(now);
        long? matched = null;
        // Check every candidate step so the time taken does not reveal which one matched.
        for (var step = current - AllowedDriftSteps; step <= current + AllowedDriftSteps; step++)
        {
            if (CryptographicOperations.FixedTimeEquals(Code(secret, step).AsSpan().AsBytes(), code.AsSpan().AsBytes()))
            {
                matched ??= step;
            }
        }

        return matched > lastUsedStep ? matched : null;
    }

    /// <summary>Whether the code is right but its step was already used: a replay, reported as such.</summary>
    public static bool IsReplay(byte[] secret, string code, DateTimeOffset now, long lastUsedStep) =>
        Match(secret, code, now, long.MinValue) is { } step && step <= lastUsedStep;

    private static ReadOnlySpan<byte> AsBytes(this ReadOnlySpan<char> chars) => System.Runtime.InteropServices.MemoryMarshal.AsBytes(chars);
}
