using Gatehouse.Contracts;
using Gatehouse.Contracts.Authorization;
using Gatehouse.SessionBroker.Gateway;
using Gatehouse.SessionBroker.Posture;
using Gatehouse.SessionBroker.Sessions;
using Gatehouse.Ssh.Certificates;
using MassTransit;

namespace Gatehouse.SessionBroker.Targets;

/// <summary>
/// Connects to a target as a decision allowed: the vaulted credential, the pinned host key (a key offered by a target
/// with none pinned is pinned through Authorization before anything is sent; a mismatch is recorded), the connect timeout.
/// </summary>
public sealed class TargetConnector(GatewayServices services, SignedInUser user, SessionEvents events, Guid connectionStream)
{
    public async Task<TargetConnection> ConnectAsync(AccessAllowed access, CancellationToken cancellationToken)
    {
        var (signIn, secret) = access.TrustsGatehouseUserCa
            ? await CertificateSignInAsync(access, cancellationToken)
            : await VaultSignInAsync(access, cancellationToken);
        TargetConnection connection;
        var postures = services.Postures;
        var overrideUntil = (await postures.FindAsync(access.Target, cancellationToken))?.OverrideUntil;
        PostureVerdict? verdict = null;
        try
        {
            connection = await TargetConnection.ConnectAsync(access, signIn, services.Settings.TargetConnectTimeout, services.Clock.GetUtcNow(),
                cancellationToken,
                server =>
                {
                    verdict = postures.Decide(access, server, overrideUntil);
                    return verdict.Action == PostureAction.Refuse
                        ? $"{verdict.Message(access.Target)}; the posture policy refuses new sessions to it until it is fixed"
                        : null;
                });
        }
        catch (TargetConnectionException e) when (e.Reason == SessionRefusalReason.HostKeyMismatch && e.OfferedHostKey is not null)
        {
            await RecordMismatchAsync(access, e.OfferedHostKey, cancellationToken);
            throw;
        }
        catch (TargetConnectionException e) when (e.Server is { } refused)
        {
            await postures.RecordAsync(access, refused, user.User, user.SourceAddress, user.CorrelationId, cancellationToken);
            throw;
        }
        finally
        {
            Array.Clear(secret);
        }

        if (connection.UnpinnedHostKey is { } offered)
        {
            await PinAsync(access, connection, offered, cancellationToken);
        }

        if (connection.Server is { } server)
        {
            await postures.RecordAsync(access, server, user.User, user.SourceAddress, user.CorrelationId, cancellationToken);
        }

        if (verdict is { Action: PostureAction.Warn } warn)
        {
            connection.PostureWarning = warn.Message(access.Target);
        }

        return connection;
    }

    private async Task<(TargetConnection.SignIn, byte[] Secret)> VaultSignInAsync(AccessAllowed access, CancellationToken cancellationToken)
    {
        var credential = await services.Vault.OpenAsync(access.Target, access.Login, cancellationToken)
                         ?? throw new TargetConnectionException(
                             $"the vault holds no credential for {access.Login}@{access.Target}; an administrator must store one",
                             SessionRefusalReason.NoCredential);
        return (TargetConnection.WithCredential(access, credential), credential.Secret);
    }

    /// <summary>
    /// A fresh key pair for this connection only and a short-lived certificate for it, recorded before it is used (no
    /// record, no certificate in use). The private key exists only in this process's memory, cleared once SSH.NET read it.
    /// </summary>
    private async Task<(TargetConnection.SignIn, byte[] Secret)> CertificateSignInAsync(AccessAllowed access, CancellationToken cancellationToken)
    {
        using var sessionKey = SshKeyPair.Generate();
        SshCertificate certificate;
        try
        {
            certificate = await services.Ca.SignUserCertificateAsync(sessionKey.PublicKey, access.Login,
                $"gatehouse user={user.User} session={connectionStream} target={access.Target}", access.PortForwardingAllowed, cancellationToken);
        }
        catch (Exception e) when (e is System.Security.Cryptography.CryptographicException or InvalidOperationException)
        {
            services.Logger.LogError(e, "Gatehouse's user CA could not sign a certificate for {Login}@{Target}", access.Login, access.Target);
            throw new TargetConnectionException($"Gatehouse's user CA cannot sign on this gateway; an administrator must look at its log",
                SessionRefusalReason.NoCredential);
        }

        await services.Journal.AppendAsync(connectionStream, events.CertificateIssued(connectionStream, access, certificate), cancellationToken);
        var pem = sessionKey.PrivateKeyPem();
        try
        {
            return (TargetConnection.WithCertificate(access, pem, certificate), pem);
        }
        catch
        {
            Array.Clear(pem);
            throw;
        }
    }

    private async Task PinAsync(AccessAllowed access, TargetConnection connection, string offered, CancellationToken cancellationToken)
    {
        try
        {
            var client = services.Bus.CreateRequestClient<PinTargetHostKey>(RequestTimeout.After(ms: (int)services.Settings.DecisionTimeout.TotalMilliseconds));
            var response = await client.GetResponse<TargetHostKeyAccepted, TargetHostKeyRejected>(
                new PinTargetHostKey(access.Target, offered, user.User, user.SourceAddress, user.CorrelationId), cancellationToken);
            if (response.Is(out Response<TargetHostKeyRejected>? rejected))
            {
                connection.Dispose();
                throw new TargetConnectionException(
                    $"the host key {PinnedHostKey.TryParse(offered)?.Fingerprint} offered by {access.Target} was not accepted: {rejected.Message.Detail}",
                    SessionRefusalReason.HostKeyMismatch);
            }
        }
        catch (RequestTimeoutException)
        {
            connection.Dispose();
            throw new TargetConnectionException($"{access.Target} has no pinned host key and Authorization did not answer to pin one",
                SessionRefusalReason.DecisionUnavailable);
        }
    }

    private async Task RecordMismatchAsync(AccessAllowed access, string offered, CancellationToken cancellationToken)
    {
        try
        {
            await services.Journal.AppendAsync(connectionStream, events.HostKeyMismatched(access, offered), cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            services.Logger.LogError(e, "Could not record the host key mismatch of {Target}", access.Target);
        }
    }
}
