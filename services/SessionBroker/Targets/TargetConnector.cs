using Gatehouse.Contracts;
using Gatehouse.Contracts.Authorization;
using Gatehouse.SessionBroker.Gateway;
using Gatehouse.SessionBroker.Posture;
using Gatehouse.SessionBroker.Sessions;
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
        var credential = await services.Vault.OpenAsync(access.Target, access.Login, cancellationToken)
                         ?? throw new TargetConnectionException(
                             $"the vault holds no credential for {access.Login}@{access.Target}; an administrator must store one",
                             SessionRefusalReason.NoCredential);
        TargetConnection connection;
        var postures = services.Postures;
        var overrideUntil = (await postures.FindAsync(access.Target, cancellationToken))?.OverrideUntil;
        PostureVerdict? verdict = null;
        try
        {
            connection = await TargetConnection.ConnectAsync(access, credential, services.Settings.TargetConnectTimeout, cancellationToken,
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
            Array.Clear(credential.Secret);
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
