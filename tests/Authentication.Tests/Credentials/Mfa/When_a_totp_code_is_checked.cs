using System.Security.Cryptography;
using System.Text;
using Gatehouse.Authentication.Credentials.Mfa;
using Base32Encoding = OtpNet.Base32Encoding;
using Totp = Gatehouse.Authentication.Credentials.Mfa.Totp;

namespace Gatehouse.Authentication.Tests.Credentials.Mfa;

public class When_a_totp_code_is_checked
{
    private static readonly byte[] Sha1Seed = Encoding.ASCII.GetBytes("12345678901234567890");
    private static readonly byte[] Sha256Seed = Encoding.ASCII.GetBytes("12345678901234567890123456789012");
    private static readonly byte[] Sha512Seed = Encoding.ASCII.GetBytes("1234567890123456789012345678901234567890123456789012345678901234");

    // RFC 6238 appendix B.
    [Theory]
    [InlineData(59L, "94287082", "46119246", "90693936")]
    [InlineData(1111111109L, "07081804", "68084774", "25091201")]
    [InlineData(1111111111L, "14050471", "67062674", "99943326")]
    [InlineData(1234567890L, "89005924", "91819424", "93441116")]
    [InlineData(2000000000L, "69279037", "90698825", "38618901")]
    [InlineData(20000000000L, "65353130", "77737706", "47863826")]
    public void Should_match_the_RFC_6238_test_vectors(long unixSeconds, string sha1, string sha256, string sha512)
    {
        var step = Totp.TimeStep(DateTimeOffset.FromUnixTimeSeconds(unixSeconds));
        Assert.Equal(sha1, Totp.Code(Sha1Seed, step, 8, HashAlgorithmName.SHA1));
        Assert.Equal(sha256, Totp.Code(Sha256Seed, step, 8, HashAlgorithmName.SHA256));
        Assert.Equal(sha512, Totp.Code(Sha512Seed, step, 8, HashAlgorithmName.SHA512));
    }

    [Fact]
    public void Should_accept_one_step_of_clock_drift_either_way_and_no_more()
    {
        var secret = RandomNumberGenerator.GetBytes(20);
        var now = DateTimeOffset.FromUnixTimeSeconds(1_700_000_010);
        var step = Totp.TimeStep(now);
        Assert.Equal(step - 1, Totp.Match(secret, Totp.Code(secret, step - 1), now, 0));
        Assert.Equal(step + 1, Totp.Match(secret, Totp.Code(secret, step + 1), now, 0));
        Assert.Null(Totp.Match(secret, Totp.Code(secret, step - 2), now, 0));
        Assert.Null(Totp.Match(secret, Totp.Code(secret, step + 2), now, 0));
    }

    [Fact]
    public void Should_refuse_a_code_whose_step_was_already_used()
    {
        var secret = RandomNumberGenerator.GetBytes(20);
        var now = DateTimeOffset.FromUnixTimeSeconds(1_700_000_010);
        var code = Totp.Code(secret, Totp.TimeStep(now));
        var used = Totp.Match(secret, code, now, 0)!.Value;
        Assert.Null(Totp.Match(secret, code, now, used));
        Assert.True(Totp.IsReplay(secret, code, now, used));
    }

    [Theory]
    [InlineData("")]
    [InlineData("12345")]
    [InlineData("1234567")]
    [InlineData("12a456")]
    public void Should_refuse_codes_that_are_not_six_digits(string code) =>
        Assert.Null(Totp.Match(RandomNumberGenerator.GetBytes(20), code, DateTimeOffset.UnixEpoch.AddYears(50), 0));

    [Fact]
    public void Should_agree_with_an_independent_implementation_through_base32()
    {
        var secret = RandomNumberGenerator.GetBytes(20);
        var now = DateTimeOffset.UtcNow;
        var theirs = new OtpNet.Totp(Base32Encoding.ToBytes(Base32.Encode(secret))).ComputeTotp(now.UtcDateTime);
        Assert.Equal(theirs, Totp.Code(secret, Totp.TimeStep(now)));
    }
}
