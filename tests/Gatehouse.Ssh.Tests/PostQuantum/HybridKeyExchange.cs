using Gatehouse.Ssh.KeyExchange;
using Gatehouse.Ssh.Tests.TestGateway;
using Gatehouse.Ssh.Transport;
using Org.BouncyCastle.Security;

namespace Gatehouse.Ssh.Tests.PostQuantum;

/// <summary>
/// The hybrid methods as the drafts define them: C_INIT = KEM public key || X25519 public key, S_REPLY = ciphertext ||
/// X25519 public key, K = string(HASH(KEM secret || X25519 secret)); and every malformed client value refused.
/// </summary>
public class HybridKeyExchange
{
    public static TheoryData<string, int, int, int> Methods => new()
    {
        // method, C_INIT length, S_REPLY length, hash length
        { KeyAgreement.MlKem768X25519, 1184 + 32, 1088 + 32, 32 },
        { KeyAgreement.Sntrup761X25519, 1158 + 32, 1039 + 32, 64 },
        { KeyAgreement.Sntrup761X25519OpenSsh, 1158 + 32, 1039 + 32, 64 },
    };

    [Theory]
    [MemberData(nameof(Methods))]
    public void The_server_and_an_independent_client_agree_on_K_encoded_as_a_string(string method, int initLength, int replyLength, int hashLength)
    {
        var client = new KeyExchangeClient(method);
        Assert.Equal(initLength, client.Init.Length);

        var server = KeyAgreement.Create(method);
        var (reply, encodedSecret) = server.Agree(client.Init);

        Assert.Equal(replyLength, reply.Length);
        Assert.Equal(client.EncodedSecret(reply), encodedSecret);
        Assert.Equal(hashLength == 32 ? System.Security.Cryptography.HashAlgorithmName.SHA256 : System.Security.Cryptography.HashAlgorithmName.SHA512,
            server.Hash);
        // A string: the length is always the hash's, with no sign byte and no leading zeroes dropped as an mpint would.
        Assert.Equal(4 + hashLength, encodedSecret.Length);
        Assert.Equal([0, 0, 0, (byte)hashLength], encodedSecret[..4]);
    }

    [Fact]
    public void K_keeps_its_length_when_an_mpint_would_have_added_a_sign_byte()
    {
        // Half of all secrets start with a high bit; an mpint would encode those in 33 bytes.
        for (var attempt = 0; attempt < 64; attempt++)
        {
            var client = new KeyExchangeClient(KeyAgreement.MlKem768X25519);
            var (_, encodedSecret) = KeyAgreement.Create(KeyAgreement.MlKem768X25519).Agree(client.Init);
            if (encodedSecret[4] >= 0x80)
            {
                Assert.Equal(36, encodedSecret.Length);
                return;
            }
        }

        Assert.Fail("no secret with its high bit set in 64 exchanges");
    }

    [Fact]
    public void The_same_randomness_gives_the_same_reply_and_secret()
    {
        var client = new KeyExchangeClient(KeyAgreement.MlKem768X25519);
        var seed = new byte[48];
        var first = KeyAgreement.Create(KeyAgreement.MlKem768X25519, new NistKatDrbg(seed).AsSecureRandom()).Agree(client.Init);
        var second = KeyAgreement.Create(KeyAgreement.MlKem768X25519, new NistKatDrbg(seed).AsSecureRandom()).Agree(client.Init);

        Assert.Equal(first.ServerReply, second.ServerReply);
        Assert.Equal(first.EncodedSecret, second.EncodedSecret);
        Assert.Equal(client.EncodedSecret(first.ServerReply), first.EncodedSecret);
    }

    [Theory]
    [InlineData(KeyAgreement.MlKem768X25519, 0)]
    [InlineData(KeyAgreement.MlKem768X25519, 32)]
    [InlineData(KeyAgreement.MlKem768X25519, 1184)]
    [InlineData(KeyAgreement.MlKem768X25519, 1215)]
    [InlineData(KeyAgreement.MlKem768X25519, 1217)]
    [InlineData(KeyAgreement.Sntrup761X25519, 1189)]
    [InlineData(KeyAgreement.Sntrup761X25519, 1191)]
    [InlineData(KeyAgreement.Sntrup761X25519OpenSsh, 1216)]
    public void A_client_value_of_the_wrong_length_fails_the_key_exchange(string method, int length)
    {
        var error = Assert.Throws<SshProtocolException>(() => KeyAgreement.Create(method).Agree(new byte[length]));

        Assert.Equal(SshDisconnectReason.KeyExchangeFailed, error.Reason);
    }

    [Fact]
    public void An_ML_KEM_key_with_a_coefficient_not_below_q_fails_the_key_exchange()
    {
        var init = new KeyExchangeClient(KeyAgreement.MlKem768X25519).Init;
        // The first 12-bit coefficient set to 4095 (q = 3329): FIPS 203's modulus check refuses the key.
        init[0] = 0xff;
        init[1] |= 0x0f;

        var error = Assert.Throws<SshProtocolException>(() => KeyAgreement.Create(KeyAgreement.MlKem768X25519).Agree(init));

        Assert.Equal(SshDisconnectReason.KeyExchangeFailed, error.Reason);
        Assert.Contains("ML-KEM-768", error.Message);
    }

    [Theory]
    [InlineData(KeyAgreement.MlKem768X25519)]
    [InlineData(KeyAgreement.Sntrup761X25519)]
    public void A_low_order_X25519_point_fails_the_key_exchange(string method)
    {
        var init = new KeyExchangeClient(method).Init;
        // The point 0 has order one: the X25519 secret would be all zeroes whatever the server's key.
        Array.Clear(init, init.Length - 32, 32);

        var error = Assert.Throws<SshProtocolException>(() => KeyAgreement.Create(method).Agree(init));

        Assert.Equal(SshDisconnectReason.KeyExchangeFailed, error.Reason);
    }

    [Fact]
    public void The_gateway_offers_the_post_quantum_methods_before_curve25519()
    {
        Assert.Equal(
            [KeyAgreement.MlKem768X25519, KeyAgreement.Sntrup761X25519, KeyAgreement.Sntrup761X25519OpenSsh,
             KeyAgreement.Curve25519, KeyAgreement.Curve25519LibSsh],
            new SshServerOptions().KeyExchangeAlgorithms);
    }
}

/// <summary>The hybrid methods over a real connection to the gateway.</summary>
public class HybridKeyExchangeOnTheWire(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    [Theory]
    [InlineData(KeyAgreement.MlKem768X25519)]
    [InlineData(KeyAgreement.Sntrup761X25519)]
    [InlineData(KeyAgreement.Sntrup761X25519OpenSsh)]
    public async Task A_client_completes_the_exchange_and_signs_in(string method)
    {
        await using var client = await RawSshClient.ConnectAsync(gateway.Port);
        await client.ExchangeVersionsAsync();
        await client.ExchangeKeysAsync("aes256-gcm@openssh.com", method: method);

        // Keys derived from K in its string encoding, with the method's hash, carry the next packets both ways.
        Assert.Equal((byte)SshMessage.UserauthSuccess, await client.AuthenticateWithPasswordAsync(LocalShellHooks.PasswordUser, LocalShellHooks.Password));
        Assert.Equal(method, gateway.Hooks.Connections.Last(c => c.SessionId == Convert.ToHexStringLower(client.SessionId)).KeyExchange);
    }

    [Theory]
    [InlineData(KeyAgreement.MlKem768X25519, 1215)]
    [InlineData(KeyAgreement.Sntrup761X25519OpenSsh, 1191)]
    public async Task A_client_value_of_the_wrong_length_is_disconnected_with_key_exchange_failed(string method, int length)
    {
        await using var client = await RawSshClient.ConnectAsync(gateway.Port);
        await client.ExchangeVersionsAsync();
        await client.SendKexInitAsync(method);
        await client.ReceiveAsync();
        using (var init = new SshWriter(SshMessage.KexEcdhInit))
        {
            init.WriteBinary(new byte[length]);
            await client.SendAsync(init.ToArray());
        }

        Assert.Equal(SshDisconnectReason.KeyExchangeFailed, await client.WaitForDisconnectAsync());
    }
}
