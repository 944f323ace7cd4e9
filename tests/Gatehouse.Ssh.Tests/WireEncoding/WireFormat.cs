using Gatehouse.Ssh.KeyExchange;
using Gatehouse.Ssh.Transport;

namespace Gatehouse.Ssh.Tests.WireEncoding;

public class WireFormat
{
    [Theory]
    [InlineData("", "00000000")]
    [InlineData("09a378f9b2e332a7", "0000000809a378f9b2e332a7")]
    [InlineData("80", "000000020080")]
    [InlineData("000080", "000000020080")]
    public void Mpints_follow_the_examples_of_rfc_4251(string magnitude, string expected)
    {
        using var writer = new SshWriter();
        writer.WriteMpint(Convert.FromHexString(magnitude));

        Assert.Equal(expected, Convert.ToHexStringLower(writer.WrittenSpan));
    }

    [Fact]
    public void A_string_longer_than_its_message_is_a_protocol_error()
    {
        byte[] message = [0, 0, 0, 9, (byte)'s', (byte)'h', (byte)'o', (byte)'r', (byte)'t'];

        var error = Assert.Throws<SshProtocolException>(() => new SshReader(message).ReadBinary().Length);

        Assert.Equal(SshDisconnectReason.ProtocolError, error.Reason);
    }

    [Fact]
    public void Negotiation_takes_the_first_client_algorithm_the_server_supports_and_never_a_marker()
    {
        var client = KexInitWith(["kex-strict-c-v00@openssh.com", "sntrup761x25519-sha512@openssh.com", "curve25519-sha256", "ext-info-c"], ["aes128-ctr", "aes256-gcm@openssh.com"]);
        var server = KexInitWith(["curve25519-sha256", "ext-info-s", "kex-strict-s-v00@openssh.com"], ["aes256-gcm@openssh.com", "aes128-ctr"]);

        var agreed = NegotiatedAlgorithms.Negotiate(client, server);

        Assert.Equal("curve25519-sha256", agreed.KeyExchange);
        Assert.Equal("aes128-ctr", agreed.CipherClientToServer);
        Assert.Equal("hmac-sha2-256-etm@openssh.com", agreed.MacClientToServer);
    }

    [Fact]
    public void Negotiation_without_a_common_cipher_fails_the_key_exchange()
    {
        var client = KexInitWith(["curve25519-sha256"], ["aes128-cbc", "3des-cbc"]);
        var server = KexInitWith(["curve25519-sha256"], ["aes256-gcm@openssh.com"]);

        var error = Assert.Throws<SshProtocolException>(() => NegotiatedAlgorithms.Negotiate(client, server));

        Assert.Equal(SshDisconnectReason.KeyExchangeFailed, error.Reason);
    }

    [Fact]
    public void An_aead_cipher_needs_no_mac()
    {
        var both = KexInitWith(["curve25519-sha256"], ["chacha20-poly1305@openssh.com"]);

        Assert.Null(NegotiatedAlgorithms.Negotiate(both, both).MacServerToClient);
    }

    private static KexInit KexInitWith(string[] kex, string[] ciphers) =>
        new(kex, ["ssh-ed25519"], ciphers, ciphers, ["hmac-sha2-256-etm@openssh.com"], ["hmac-sha2-256-etm@openssh.com"], ["none"], ["none"], false);
}
