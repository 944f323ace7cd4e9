using Gatehouse.Ssh.Certificates;
using Renci.SshNet;

namespace Gatehouse.Ssh.Tests.Certificates;

/// <summary>The session key the gateway signs in to targets with is read by SSH.NET as the key its certificate names.</summary>
public class HandingKeysToSshNet
{
    [Fact]
    public void Should_be_read_by_SSH_NET_as_the_same_key_and_accepted_with_its_certificate()
    {
        using var pair = SshKeyPair.Generate();
        using var ca = SshCertificateAuthority.Generate("ssh-ed25519");
        var now = DateTimeOffset.UtcNow;
        var certificate = ca.Sign(new SshCertificateRequest(pair.PublicKey, SshCertificateType.User, 1, "k", ["deploy"], now, now.AddMinutes(1)));

        var file = new PrivateKeyFile(new MemoryStream(pair.PrivateKeyPem()), null,
            new MemoryStream(System.Text.Encoding.ASCII.GetBytes(certificate.ToLine())));

        Assert.Contains(file.HostKeyAlgorithms, algorithm => Convert.ToBase64String(algorithm.Data) == pair.PublicKey.Base64);
        Assert.Equal(certificate.KeyId, file.Certificate!.KeyId);
        Assert.Equal(certificate.Serial, file.Certificate.Serial);
    }
}
