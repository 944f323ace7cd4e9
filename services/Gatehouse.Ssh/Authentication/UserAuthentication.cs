using System.Diagnostics;
using Gatehouse.Ssh.Certificates;
using Gatehouse.Ssh.Transport;
using Microsoft.Extensions.Logging;

namespace Gatehouse.Ssh.Authentication;

/// <summary>
/// The server side of RFC 4252 (publickey, password) and RFC 4256 (keyboard-interactive), with
/// partial success so a handler can require several methods in turn.
/// </summary>
internal sealed class UserAuthentication(
    PacketTransport transport,
    SshServerOptions options,
    SshConnectionInfo connectionInfo,
    ISshConnectionHandler handler,
    byte[] sessionId,
    ILogger logger)
{
    private const string ConnectionService = "ssh-connection";

    private List<string> _allowedMethods = [.. options.AuthenticationMethods];
    private readonly HashSet<string> _completedMethods = [];
    private int _failures;
    private string? _userName;
    private bool _awaitingInfoResponse;
    private int _expectedResponses;
    private long _attemptStarted;

    public bool IsAuthenticated { get; private set; }

    public async ValueTask HandleAsync(ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        if (IsAuthenticated) return; // RFC 4252 §5.1: later requests are ignored.
        switch ((SshMessage)payload.Span[0])
        {
            case SshMessage.UserauthRequest:
                await OnRequestAsync(payload, cancellationToken);
                break;
            case SshMessage.UserauthInfoResponse when _awaitingInfoResponse:
                await OnInfoResponseAsync(payload, cancellationToken);
                break;
            default:
                throw new SshProtocolException(SshDisconnectReason.ProtocolError, $"unexpected authentication message {payload.Span[0]}");
        }
    }

    private async ValueTask OnRequestAsync(ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        _awaitingInfoResponse = false;
        _attemptStarted = Stopwatch.GetTimestamp();
        string user, service, method;
        {
            var reader = new SshReader(payload.Span[1..]);
            user = reader.ReadString();
            service = reader.ReadString();
            method = reader.ReadString();
        }
        if (service != ConnectionService) throw new SshProtocolException(SshDisconnectReason.ServiceNotAvailable, $"service {service} not available");
        if (_userName is null)
        {
            _userName = user;
            connectionInfo.UserName = user;
            if (options.LoginBanner is { } banner)
            {
                await SendBannerAsync(banner, cancellationToken);
            }
        }
        else if (_userName != user)
        {
            // Changing user mid-way would let partial successes of one user count for another.
            throw new SshProtocolException(SshDisconnectReason.ProtocolError, "user name changed during authentication");
        }

        if (method == "none" || !_allowedMethods.Contains(method))
        {
            await SendFailureAsync(partial: false, cancellationToken);
            return;
        }

        switch (method)
        {
            case SshAuthMethods.PublicKey:
                await OnPublicKeyAsync(payload, cancellationToken);
                break;
            case SshAuthMethods.Password:
            {
                string password;
                {
                    var reader = SkipHeader(payload.Span);
                    var changing = reader.ReadBoolean();
                    password = reader.ReadString();
                    if (changing)
                    {
                        await FailAsync(method, cancellationToken);
                        return;
                    }
                }
                await ApplyAsync(method, await handler.CheckPasswordAsync(user, password, cancellationToken), cancellationToken);
                break;
            }
            case SshAuthMethods.KeyboardInteractive:
                await ContinueKeyboardInteractiveAsync(await handler.KeyboardInteractiveAsync(user, null, cancellationToken), cancellationToken);
                break;
        }
    }

    private static SshReader SkipHeader(ReadOnlySpan<byte> payload)
    {
        var reader = new SshReader(payload[1..]);
        reader.ReadBinary();
        reader.ReadBinary();
        reader.ReadBinary();
        return reader;
    }

    private async ValueTask OnPublicKeyAsync(ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        bool hasSignature;
        string algorithm;
        byte[] keyBlob;
        bool verified = false;
        SshCertificate? certificate = null;
        string? problem = null;
        {
            var reader = SkipHeader(payload.Span);
            hasSignature = reader.ReadBoolean();
            algorithm = reader.ReadString();
            keyBlob = reader.ReadBinary().ToArray();
            // A certificate (PROTOCOL.certkeys) is signed for with its certified key and the plain algorithm.
            var signingAlgorithm = algorithm;
            var signingKey = keyBlob;
            if (algorithm.EndsWith(SshCertificate.Suffix, StringComparison.Ordinal))
            {
                signingAlgorithm = algorithm[..^SshCertificate.Suffix.Length];
                (certificate, problem) = ReadCertificate(signingAlgorithm, keyBlob);
                signingKey = certificate?.PublicKey.Blob ?? [];
            }

            problem ??= UserKeySignature.IsAcceptableKey(signingAlgorithm, signingKey) ? null : "algorithm or key not accepted";
            if (hasSignature && problem is null)
            {
                var signedLength = payload.Length - reader.Remaining;
                var signature = reader.ReadBinary();
                reader.ExpectEnd();
                verified = UserKeySignature.Verify(signingAlgorithm, signingKey, signature, SignedData(payload.Span[..signedLength]));
            }
        }

        if (problem is not null)
        {
            logger.LogInformation("Rejected {Algorithm} key from {Connection}: {Problem}", algorithm, connectionInfo, problem);
            await FailAsync(SshAuthMethods.PublicKey, cancellationToken);
            return;
        }

        if (!hasSignature)
        {
            // Any well-formed key may be offered; nothing is decided until the client signs with it.
            using var ok = new SshWriter(SshMessage.UserauthPkOk);
            ok.WriteString(algorithm);
            ok.WriteBinary(keyBlob);
            await transport.SendOrQueueAsync(ok.WrittenMemory, cancellationToken);
            return;
        }

        if (!verified)
        {
            logger.LogWarning("Invalid public key signature from {Connection}", connectionInfo);
            await FailAsync(SshAuthMethods.PublicKey, cancellationToken);
            return;
        }

        var key = certificate is null
            ? new SshPublicKey(UserKeySignature.KeyTypeFor(algorithm)!, keyBlob)
            : new SshPublicKey(certificate.CertificateKeyType, keyBlob, certificate);
        await ApplyAsync(SshAuthMethods.PublicKey, await handler.AuthenticatePublicKeyAsync(_userName!, key, cancellationToken), cancellationToken);
    }

    /// <summary>
    /// The certificate a publickey request carries, well-formed and of the type its algorithm names; whether it is trusted is
    /// the handler's decision (<see cref="SshPublicKey.Certificate"/>).
    /// </summary>
    private static (SshCertificate? Certificate, string? Problem) ReadCertificate(string signingAlgorithm, byte[] blob)
    {
        try
        {
            var certificate = SshCertificate.Parse(blob);
            return UserKeySignature.KeyTypeFor(signingAlgorithm) is { } keyType && certificate.CertificateKeyType == SshCertificate.CertificateTypeFor(keyType)
                ? (certificate, null)
                : (null, $"a {certificate.CertificateKeyType} offered as {signingAlgorithm}");
        }
        catch (FormatException e)
        {
            return (null, e.Message);
        }
    }

    /// <summary>RFC 4252 §7: the session id followed by the request up to the signature.</summary>
    private byte[] SignedData(ReadOnlySpan<byte> requestWithoutSignature)
    {
        using var writer = new SshWriter(sessionId.Length + requestWithoutSignature.Length + 8);
        writer.WriteBinary(sessionId);
        writer.WriteRaw(requestWithoutSignature);
        return writer.ToArray();
    }

    private async ValueTask OnInfoResponseAsync(ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        _awaitingInfoResponse = false;
        var responses = new List<string>();
        {
            var reader = new SshReader(payload.Span[1..]);
            var count = reader.ReadUInt32();
            if (count != _expectedResponses) throw new SshProtocolException(SshDisconnectReason.ProtocolError, "wrong number of keyboard-interactive responses");
            for (var i = 0; i < count; i++) responses.Add(reader.ReadString());
            reader.ExpectEnd();
        }
        await ContinueKeyboardInteractiveAsync(await handler.KeyboardInteractiveAsync(_userName!, responses, cancellationToken), cancellationToken);
    }

    private async ValueTask ContinueKeyboardInteractiveAsync(SshKeyboardInteractiveStep step, CancellationToken cancellationToken)
    {
        if (step.Result is { } result)
        {
            await ApplyAsync(SshAuthMethods.KeyboardInteractive, result, cancellationToken);
            return;
        }
        using var request = new SshWriter(SshMessage.UserauthInfoRequest);
        request.WriteString(step.Name);
        request.WriteString(step.Instruction);
        request.WriteString("");
        request.WriteUInt32((uint)step.Prompts.Count);
        foreach (var prompt in step.Prompts)
        {
            request.WriteString(prompt.Text);
            request.WriteBoolean(prompt.Echo);
        }
        _awaitingInfoResponse = true;
        _expectedResponses = step.Prompts.Count;
        await transport.SendOrQueueAsync(request.WrittenMemory, cancellationToken);
    }

    private async ValueTask ApplyAsync(string method, SshAuthResult result, CancellationToken cancellationToken)
    {
        switch (result.Outcome)
        {
            case SshAuthOutcome.Success:
                IsAuthenticated = true;
                connectionInfo.IsAuthenticated = true;
                logger.LogInformation("Authenticated {Connection} by {Method}", connectionInfo, method);
                await transport.SendOrQueueAsync(new[] { (byte)SshMessage.UserauthSuccess }, cancellationToken);
                break;
            case SshAuthOutcome.PartialSuccess:
                _completedMethods.Add(method);
                _allowedMethods = result.RemainingMethods!.Intersect(options.AuthenticationMethods).Except(_completedMethods).ToList();
                logger.LogInformation("Partial authentication of {Connection} by {Method}; next: {Methods}", connectionInfo, method, string.Join(",", _allowedMethods));
                if (_allowedMethods.Count == 0) throw new SshProtocolException(SshDisconnectReason.NoMoreAuthMethodsAvailable, "no authentication methods left");
                await SendFailureAsync(partial: true, cancellationToken);
                break;
            default:
                if (result.RemainingMethods is { } narrowed)
                {
                    _allowedMethods = narrowed.Intersect(_allowedMethods).ToList();
                }

                if (result.Message is { } reason)
                {
                    await SendBannerAsync(reason.EndsWith('\n') ? reason : reason + "\r\n", cancellationToken);
                }
                await FailAsync(method, cancellationToken);
                break;
        }
    }

    private async ValueTask FailAsync(string method, CancellationToken cancellationToken)
    {
        _failures++;
        logger.LogInformation("Authentication by {Method} failed for {Connection} ({Failures}/{Max})", method, connectionInfo, _failures, options.MaxAuthAttempts);
        // Pad every failure to the same floor so response time does not tell whether the user exists.
        var remaining = options.AuthFailureDelay - Stopwatch.GetElapsedTime(_attemptStarted);
        if (remaining > TimeSpan.Zero) await Task.Delay(remaining, cancellationToken);
        if (_failures >= options.MaxAuthAttempts || _allowedMethods.Count == 0)
        {
            throw new SshProtocolException(SshDisconnectReason.NoMoreAuthMethodsAvailable, "too many authentication failures");
        }
        await SendFailureAsync(partial: false, cancellationToken);
    }

    private async ValueTask SendBannerAsync(string text, CancellationToken cancellationToken)
    {
        using var message = new SshWriter(SshMessage.UserauthBanner);
        message.WriteString(text);
        message.WriteString("");
        await transport.SendOrQueueAsync(message.WrittenMemory, cancellationToken);
    }

    private async ValueTask SendFailureAsync(bool partial, CancellationToken cancellationToken)
    {
        using var failure = new SshWriter(SshMessage.UserauthFailure);
        failure.WriteNameList(_allowedMethods);
        failure.WriteBoolean(partial);
        await transport.SendOrQueueAsync(failure.WrittenMemory, cancellationToken);
    }
}
