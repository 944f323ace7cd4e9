using System.Net.Sockets;
using System.Text;
using Gatehouse.Contracts;
using Gatehouse.Contracts.Authorization;
using Gatehouse.SessionBroker.Posture;
using Gatehouse.SessionBroker.Vault;
using Gatehouse.Ssh.Certificates;
using Gatehouse.Vocabulary;
using Renci.SshNet;
using Renci.SshNet.Common;

namespace Gatehouse.SessionBroker.Targets;

/// <summary>Why the gateway could not open a connection to a target; the message is safe to show the user.</summary>
public sealed class TargetConnectionException(string message, Contracts.SessionRefusalReason reason, string? offeredHostKey = null)
    : Exception(message)
{
    public Contracts.SessionRefusalReason Reason { get; } = reason;

    /// <summary>On a host key mismatch, the OpenSSH line of the key the target offered.</summary>
    public string? OfferedHostKey { get; } = offeredHostKey;

    /// <summary>What the target's SSH server told before the connection failed, when it got that far.</summary>
    public TargetSshServer? Server { get; init; }
}

/// <summary>
/// The gateway's SSH connection to a target, signed in with the vaulted credential. The target's host key must be
/// the pinned one; with none pinned, the offered key is returned in <see cref="UnpinnedHostKey"/> for the caller
/// to pin before anything is sent.
/// </summary>
public sealed class TargetConnection : IDisposable
{
    private readonly SshClient _client;

    private TargetConnection(SshClient client, string? unpinnedHostKey, TargetSshServer? server)
    {
        _client = client;
        UnpinnedHostKey = unpinnedHostKey;
        Server = server;
    }

    public string? UnpinnedHostKey { get; }

    /// <summary>What the target's SSH server told before authentication (version line, KEXINIT offer), for its posture.</summary>
    public TargetSshServer? Server { get; }

    /// <summary>The posture warning the user is shown when the session starts; null when the policy asks for none.</summary>
    public string? PostureWarning { get; set; }

    public bool IsConnected => _client.IsConnected;

    /// <summary>
    /// What the gateway and the target negotiated, as SSH.NET reports it (sntrup761 by its IETF name under either
    /// alias); null if it reports none, which a connected client always does.
    /// </summary>
    public Contracts.SshAlgorithms? Algorithms
    {
        get
        {
            var info = _client.ConnectionInfo;
            return info is { CurrentKeyExchangeAlgorithm: { } kex, CurrentClientEncryption: { } toTarget, CurrentServerEncryption: { } fromTarget,
                CurrentHostKeyAlgorithm: { } hostKey }
                ? new(kex, Contracts.SshAlgorithms.CipherOf(toTarget, fromTarget), hostKey)
                : null;
        }
    }

    /// <summary>
    /// The key exchange methods the gateway prefers towards targets, first to last: the post-quantum hybrids, so a
    /// target that offers one protects the session from a recording decrypted later. Set here rather than left to
    /// SSH.NET's defaults, which may change with a release; the methods after them keep SSH.NET's order.
    /// </summary>
    public static readonly string[] PreferredKeyExchanges =
        ["mlkem768x25519-sha256", "sntrup761x25519-sha512", "sntrup761x25519-sha512@openssh.com"];

    /// <summary>Puts <see cref="PreferredKeyExchanges"/> first in the client's offer, in that order.</summary>
    public static void PreferPostQuantum(Renci.SshNet.ConnectionInfo info)
    {
        var position = 0;
        foreach (var name in PreferredKeyExchanges.Where(info.KeyExchangeAlgorithms.ContainsKey))
        {
            info.KeyExchangeAlgorithms.SetPosition(name, position++);
        }
    }

    /// <summary>
    /// The ciphers the gateway prefers towards targets, first to last: AES-GCM, which SSH.NET runs on .NET's AesGcm (the
    /// platform's AES instructions, no JIT warm-up). Its defaults put AES-CTR first, whose counter mode and XOR it runs in
    /// managed code (seen at tier 0 in a tunnel's profile), and its chacha20-poly1305 is BouncyCastle's, also managed.
    /// Every relayed byte goes through this cipher once more. The others stay offered, in SSH.NET's order.
    /// </summary>
    public static readonly string[] PreferredCiphers = ["aes128-gcm@openssh.com", "aes256-gcm@openssh.com"];

    /// <summary>Puts <see cref="PreferredCiphers"/> first in the client's offer, in that order.</summary>
    public static void PreferNativeCiphers(Renci.SshNet.ConnectionInfo info)
    {
        var position = 0;
        foreach (var name in PreferredCiphers.Where(info.Encryptions.ContainsKey))
        {
            info.Encryptions.SetPosition(name, position++);
        }
    }

    /// <summary>How the gateway signs in to the target, and what to tell the user when the target refuses it.</summary>
    public sealed record SignIn(AuthenticationMethod[] Methods, string Refused);

    /// <summary>With the vaulted credential: a private key, or a password.</summary>
    public static SignIn WithCredential(AccessAllowed access, TargetCredential credential) => new(
        credential.Kind == CredentialKind.PrivateKey
            ? [new PrivateKeyAuthenticationMethod(access.Login, new PrivateKeyFile(new MemoryStream(credential.Secret, writable: false)))]
            : PasswordMethods(access.Login, credential.Secret),
        $"{access.Target} refused the vaulted credential for {access.Login}");

    /// <summary>With a session key and the user certificate Gatehouse signed for it (SSH.NET sends the certificate as the public key).</summary>
    public static SignIn WithCertificate(AccessAllowed access, byte[] privateKeyPem, SshCertificate certificate) => new(
        [new PrivateKeyAuthenticationMethod(access.Login, new PrivateKeyFile(new MemoryStream(privateKeyPem, writable: false), null,
            new MemoryStream(Encoding.ASCII.GetBytes(certificate.ToLine()), writable: false)))],
        $"{access.Target} refused Gatehouse's user certificate for {access.Login}: its sshd must trust the user CA "
        + "(TrustedUserCAKeys, see 'gatehouse ca show --user') and accept the principal " + access.Login);

    /// <summary>
    /// Connects and signs in. A target registered with host CAs must present a host certificate that one of them signed,
    /// valid at <paramref name="now"/> and naming the address the gateway connects to; nothing is pinned or trusted on first use.
    /// </summary>
    /// <param name="postureRefusal">
    /// Judges what the server told before anything is sent: a reason refuses the connection at the host key check, so the
    /// credential never reaches a server the posture policy refuses.
    /// </param>
    public static async Task<TargetConnection> ConnectAsync(AccessAllowed access, SignIn signIn, TimeSpan timeout, DateTimeOffset now,
        CancellationToken cancellationToken, Func<TargetSshServer, string?>? postureRefusal = null)
    {
        var hostCas = (access.HostCertificateAuthorities ?? []).Select(line => OpenSshPublicKey.ParseLine(line).Key).ToList();
        if (hostCas.Any(ca => ca is null))
        {
            throw new TargetConnectionException($"a host CA registered for {access.Target} is not a valid OpenSSH key line",
                Contracts.SessionRefusalReason.HostKeyMismatch);
        }
        var pinned = PinnedHostKey.TryParse(access.TargetHostKey);
        if (access.TargetHostKey is not null && pinned is null)
        {
            throw new TargetConnectionException($"the host key pinned for {access.Target} is not a valid OpenSSH key line",
                Contracts.SessionRefusalReason.HostKeyMismatch);
        }

        var info = new Renci.SshNet.ConnectionInfo(access.TargetAddress, access.TargetPort, access.Login, signIn.Methods) { Timeout = timeout };
        PreferPostQuantum(info);
        PreferNativeCiphers(info);
        var offer = ServerOffer.Observe(info);
        string? refusedForPosture = null;
        if (hostCas.Count > 0)
        {
            // Certificate algorithms first, so a target that has a certificate shows it. The plain ones stay offered because
            // SSH.NET verifies the CA's signature with them; a plain key shown instead is refused below.
            var position = 0;
            foreach (var algorithm in info.HostKeyAlgorithms.Keys.Where(SshCertificate.IsCertificateType).ToList())
            {
                info.HostKeyAlgorithms.SetPosition(algorithm, position++);
            }
        }
        else if (pinned is not null)
        {
            // Negotiate only algorithms of the pinned key's type, so a target with several host keys shows the pinned one.
            foreach (var algorithm in info.HostKeyAlgorithms.Keys.Where(a => !pinned.Allows(a)).ToList())
            {
                info.HostKeyAlgorithms.Remove(algorithm);
            }
        }

        byte[]? offered = null;
        SshCertificateRefusal? certificateRefusal = null;
        var client = new SshClient(info);
        client.HostKeyReceived += (_, e) =>
        {
            offered = e.HostKey;
            refusedForPosture = offer.Server is { } server ? postureRefusal?.Invoke(server) : null;
            if (refusedForPosture is not null)
            {
                e.CanTrust = false;
                return;
            }

            if (hostCas.Count > 0)
            {
                certificateRefusal = CheckHostCertificate(e.Certificate, hostCas!, access.TargetAddress);
                e.CanTrust = certificateRefusal is null;
                return;
            }

            e.CanTrust = pinned is null || pinned.Matches(e.HostKey);
        };
        try
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(timeout);
            await client.ConnectAsync(deadline.Token);
        }
        catch (Exception e) when (e is SshException or SocketException or OperationCanceledException or IOException or TimeoutException)
        {
            client.Dispose();
            if (refusedForPosture is not null)
            {
                throw new TargetConnectionException(refusedForPosture, Contracts.SessionRefusalReason.TargetPosture) { Server = offer.Server };
            }

            if (certificateRefusal is not null)
            {
                throw new TargetConnectionException(
                    $"the host certificate of {access.Target} is refused: {certificateRefusal.Detail}", Contracts.SessionRefusalReason.HostKeyMismatch);
            }

            if (hostCas.Count > 0 && offered is null)
            {
                // SSH.NET checks a certificate's validity period and CA signature itself, before showing it.
                throw new TargetConnectionException(
                    $"the host certificate of {access.Target} is refused: it is expired, not yet valid or its CA signature does not verify ({e.Message})",
                    Contracts.SessionRefusalReason.HostKeyMismatch);
            }

            if (pinned is not null && offered is not null && !pinned.Matches(offered))
            {
                throw new TargetConnectionException(
                    $"the host key of {access.Target} ({OpenSshPublicKey.FingerprintOf(offered)}) is not the pinned one ({pinned.Fingerprint}); "
                    + "the session is refused until an administrator re-pins it", Contracts.SessionRefusalReason.HostKeyMismatch,
                    OpenSshPublicKey.LineOf(offered));
            }

            var why = e switch
            {
                SshAuthenticationException => signIn.Refused,
                OperationCanceledException => $"{access.Target} ({access.TargetAddress}:{access.TargetPort}) did not answer in time",
                _ => $"{access.Target} ({access.TargetAddress}:{access.TargetPort}) cannot be reached: {e.Message}",
            };
            throw new TargetConnectionException(why, Contracts.SessionRefusalReason.TargetUnreachable);
        }

        return new TargetConnection(client, pinned is null && hostCas.Count == 0 && offered is not null ? OpenSshPublicKey.LineOf(offered) : null,
            offer.Server);
    }

    /// <summary>
    /// What SSH.NET leaves to us: it has checked the certificate's validity period and its CA's signature before showing
    /// it (and refused otherwise); here the CA must be one registered for the target, the type host, the principal the
    /// address connected to, and no critical option (host certificates define none, so any is one not honoured).
    /// </summary>
    private static SshCertificateRefusal? CheckHostCertificate(Renci.SshNet.Security.Certificate? certificate,
        IReadOnlyList<OpenSshPublicKey> hostCas, string hostName)
    {
        if (certificate is null)
        {
            return new(SshCertificateProblem.WrongType, "it showed a plain host key, not a host certificate");
        }

        var caFingerprint = "SHA256:" + certificate.CertificateAuthorityKeyFingerPrint;
        if (certificate.Type != Renci.SshNet.Security.Certificate.CertificateType.Host)
        {
            return new(SshCertificateProblem.WrongType, "a user certificate where a host certificate is needed");
        }

        if (!hostCas.Any(ca => ca.Fingerprint == caFingerprint))
        {
            return new(SshCertificateProblem.UnknownCa, $"signed by CA {caFingerprint}, which is not trusted here");
        }

        if (!certificate.ValidPrincipals.Contains(hostName))
        {
            return new(SshCertificateProblem.WrongPrincipal, $"names {string.Join(", ", certificate.ValidPrincipals.Take(8))}, not '{hostName}'");
        }

        return certificate.CriticalOptions.Count > 0
            ? new(SshCertificateProblem.UnhonouredCriticalOption, "it carries critical options, which host certificates do not define")
            : null;
    }

    /// <summary>
    /// The password as the "password" method, and as the answer to a keyboard-interactive password prompt: targets
    /// that check passwords through PAM often offer only that. Only a prompt that asks for a password without echo is
    /// answered, once; any other prompt gets an empty answer, so the password goes nowhere else.
    /// </summary>
    private static AuthenticationMethod[] PasswordMethods(string login, byte[] password)
    {
        var interactive = new KeyboardInteractiveAuthenticationMethod(login);
        var answered = false;
        interactive.AuthenticationPrompt += (_, e) =>
        {
            foreach (var prompt in e.Prompts)
            {
                var asksForPassword = !answered && !prompt.IsEchoed
                                      && prompt.Request.Contains("password", StringComparison.OrdinalIgnoreCase);
                prompt.Response = asksForPassword ? Encoding.UTF8.GetString(password) : "";
                answered |= asksForPassword;
            }
        };
        return [new PasswordAuthenticationMethod(login, password), interactive];
    }

    public TargetChannel OpenChannel() => TargetChannel.Open(_client);

    public Task<TargetTunnel> OpenTunnelAsync(string host, uint port, string originatorAddress, uint originatorPort, CancellationToken cancellationToken) =>
        TargetTunnel.OpenAsync(_client, host, port, originatorAddress, originatorPort, cancellationToken);

    /// <summary>Asks the target to listen on its <paramref name="address"/>:<paramref name="port"/> for the gateway (ssh -R).</summary>
    public Task<TargetListener> ListenAsync(System.Net.IPAddress address, uint port, Func<ArrivedConnection, Task> arrived, ILogger logger,
        CancellationToken cancellationToken) =>
        TargetListener.StartAsync(_client, address, port, arrived, logger, cancellationToken);

    public void Dispose()
    {
        try
        {
            _client.Disconnect();
        }
        catch (Exception e) when (e is SshException or ObjectDisposedException or SocketException or InvalidOperationException)
        {
            // Already gone.
        }

        _client.Dispose();
    }
}
