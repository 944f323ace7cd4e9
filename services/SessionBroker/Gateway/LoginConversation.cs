using Gatehouse.Contracts;
using Gatehouse.Contracts.Authentication;
using Gatehouse.ServiceDefaults.EventStore;
using System.Net;
using Gatehouse.SessionBroker.Connecting;
using Gatehouse.SessionBroker.Gateway.CertificateLogins;
using Gatehouse.SessionBroker.Sessions;
using Gatehouse.Ssh;
using Gatehouse.Ssh.Certificates;
using Gatehouse.Vocabulary;
using MassTransit;

namespace Gatehouse.SessionBroker.Gateway;

/// <summary>
/// The login conversation of one connection with the Authentication service: public key or password, then a one-time
/// code through keyboard-interactive when required. Its outcome is the <see cref="SignedInUser"/>, fixed once it succeeded.
/// The inner connection of a ProxyJump is bound to the outer one (<paramref name="jump"/>): its user name is only the login
/// on the target, and the one factor it takes is a key Authentication confirms as the outer user's own; the outer
/// connection's one-time code stands for it (the inner connection runs inside the outer one's channel).
/// </summary>
public sealed class LoginConversation(Guid connectionId, string sourceAddress, GatewayServices services, JumpBinding? jump = null)
{
    private GatewayUserName? _name;
    private string _method = SshAuthMethods.PublicKey;
    private bool _awaitingCode;
    private IReadOnlyList<string> _apiRoles = [];
    private string? _keyFingerprint;
    private string? _pendingRefusal;

    // Keys whose certificate was refused on this connection with the failed login recorded: their plain key, which ssh
    // offers next, is the same attempt (AuthenticatePublicKey.CertificateRefused).
    private readonly HashSet<string> _refusedCertificateKeys = new(StringComparer.Ordinal);

    /// <summary>Who signed in; null until the conversation succeeded.</summary>
    public SignedInUser? SignedIn { get; private set; }

    private string CorrelationId => CorrelationIds.Of(connectionId);

    public ValueTask<SshAuthResult> AuthenticatePublicKeyAsync(string userName, SshPublicKey key, CancellationToken cancellationToken) =>
        key.Certificate is { } certificate
            ? FirstFactorAsync(userName, SshAuthMethods.PublicKey,
                name => new AuthenticateUserCertificate(name.User, certificate.PublicKey.Fingerprint, certificate.CaFingerprint,
                    certificate.Serial, certificate.KeyId, sourceAddress, CorrelationId),
                (PublicKeyAccepted accepted) => (accepted.MfaRequired, accepted.Roles, accepted.KeyFingerprint), cancellationToken,
                certificate)
            : FirstFactorAsync(userName, SshAuthMethods.PublicKey,
                name => new AuthenticatePublicKey(name.User, key.KeyType, Convert.ToBase64String(key.Blob.Span), sourceAddress, CorrelationId,
                    _refusedCertificateKeys.Contains(key.Fingerprint)),
                (PublicKeyAccepted accepted) => (accepted.MfaRequired, accepted.Roles, accepted.KeyFingerprint), cancellationToken);

    /// <summary>
    /// A user certificate is decided here before Authentication is asked (<see cref="CertificateLogin"/>): a refusal is
    /// recorded as a refused session with its reason, since Authentication never hears of it.
    /// </summary>
    private async Task<string?> CertificateRefusalAsync(SshCertificate certificate, GatewayUserName name)
    {
        var refusal = CertificateLogin.Refusal(certificate, name.User, IPAddress.Parse(sourceAddress), services.Clock.GetUtcNow(),
            services.CertificateTrust());
        if (refusal is null)
        {
            return null;
        }

        // Serial and CA fingerprint only: the key id and principals of an untrusted certificate are anyone's text.
        services.Logger.LogWarning("Refused certificate serial {Serial} from CA {Ca} for {User} from {Source}: {Reason}", certificate.Serial,
            certificate.CaFingerprint, name.User, sourceAddress, refusal);
        // Authentication never hears of it, so the gateway records the failed login the detection rules count, beside the why.
        if (await RecordAsync(name.User, events => [events.Refused(Guid.NewGuid(), name.Target, name.Login ?? name.User,
                SessionRefusalReason.CertificateRefused, refusal), events.CertificateLoginFailed(certificate)]))
        {
            _refusedCertificateKeys.Add(certificate.PublicKey.Fingerprint);
        }

        return refusal;
    }

    /// <summary>Events of the login itself, on a stream of their own; false (logged) when they could not be stored.</summary>
    private async Task<bool> RecordAsync(string user, Func<SessionEvents, IReadOnlyList<IAccessEvent>> build)
    {
        try
        {
            await services.Journal.AppendAsync(Guid.NewGuid(), build(new SessionEvents(user, sourceAddress, CorrelationId, services.Clock)),
                CancellationToken.None);
            return true;
        }
        catch (Exception e)
        {
            services.Logger.LogError(e, "A certificate login event of {User} from {Source} could not be recorded", user, sourceAddress);
            return false;
        }
    }

    public ValueTask<SshAuthResult> CheckPasswordAsync(string userName, string password, CancellationToken cancellationToken) =>
        FirstFactorAsync(userName, SshAuthMethods.Password,
            name => new AuthenticatePassword(name.User, password, sourceAddress, CorrelationId),
            (PasswordAccepted accepted) => (accepted.MfaRequired, accepted.Roles, (string?)null), cancellationToken);

    /// <summary>
    /// Asks Authentication about a first factor (key or password); it records the attempt either way and applies the
    /// lockout. With an authenticator enrolled the user goes on to the one-time code (partial success).
    /// </summary>
    private async ValueTask<SshAuthResult> FirstFactorAsync<TRequest, TAccepted>(string userName, string method,
        Func<GatewayUserName, TRequest> request, Func<TAccepted, (bool MfaRequired, IReadOnlyList<string> Roles, string? KeyFingerprint)> read,
        CancellationToken cancellationToken, SshCertificate? certificate = null) where TRequest : class where TAccepted : class
    {
        if (!TryReadName(userName, out var name, out var error))
        {
            services.Logger.LogInformation("Refused {UserName} from {Source}: {Error}", userName, sourceAddress, error);
            await RecordUnreadableNameAsync(userName, error);
            return Refuse(method, error);
        }

        if (jump is not null && method != SshAuthMethods.PublicKey)
        {
            return Refuse(method, $"through ProxyJump the gateway takes only a key of {jump.Outer.User}, the user signed in on the outer connection");
        }

        if (jump is not null && certificate is not null)
        {
            return Refuse(method, $"through ProxyJump the gateway takes only a registered key of {jump.Outer.User}, not a certificate");
        }

        if (certificate is not null && await CertificateRefusalAsync(certificate, name) is { } refused)
        {
            return Refuse(method, refused);
        }

        try
        {
            var response = await AskAuthenticationAsync<TRequest, TAccepted>(request(name), cancellationToken);
            if (!response.Is(out Response<TAccepted>? accepted))
            {
                var refusal = (AuthenticationRefused)response.Message;
                // Authentication recorded the failed login of a certificate it judged (unknown or disabled account).
                if (certificate is not null && refusal.Reason != LoginFailureReason.ServiceUnavailable)
                {
                    _refusedCertificateKeys.Add(certificate.PublicKey.Fingerprint);
                }

                return Refuse(method, refusal.Message);
            }

            // Recorded once Authentication let the user in with it, so the login's events name its serial and key id; a
            // certificate login that cannot be recorded does not happen.
            if (certificate is not null && !await RecordAsync(name.User, events => [events.CertificateAccepted(certificate)]))
            {
                return Refuse(method, "the gateway cannot record this certificate login, so it is refused; try again shortly");
            }

            var (mfaRequired, roles, fingerprint) = read(accepted.Message);
            if (jump is not null)
            {
                SignedIn = new SignedInUser(connectionId, name, method, fingerprint, jump.Outer.MfaVerified, roles, sourceAddress);
                return SshAuthResult.Success;
            }

            (_name, _method, _awaitingCode, _apiRoles, _keyFingerprint, _pendingRefusal) = (name, method, mfaRequired, roles, fingerprint, null);
            if (mfaRequired)
            {
                return SshAuthResult.Partial(SshAuthMethods.KeyboardInteractive);
            }

            SignedIn = new SignedInUser(connectionId, name, method, fingerprint, false, roles, sourceAddress);
            return SshAuthResult.Success;
        }
        catch (Exception e) when (IsNoAnswer(e, cancellationToken))
        {
            services.Logger.LogWarning("Authentication did not answer for {User} from {Source}; refusing", name.User, sourceAddress);
            return Refuse(method, "the Authentication service did not answer in time, so the login is refused; try again shortly");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The bus itself failed (the broker is down): no answer, so no login.
            services.Logger.LogError(e, "Authentication could not be asked for {User} from {Source}; refusing", name.User, sourceAddress);
            return Refuse(method, "the Authentication service cannot be reached, so the login is refused; try again shortly");
        }
    }

    /// <summary>The gateway user name; inside a ProxyJump, the login on the target the outer connection opened the channel to.</summary>
    private bool TryReadName(string userName, out GatewayUserName name, out string error)
    {
        if (jump is null)
        {
            return GatewayUserName.TryParse(userName, out name, out error);
        }

        name = new GatewayUserName(jump.Outer.User, jump.Target, userName);
        error = $"through ProxyJump the user name is the login on {jump.Target} ({LoginNames.Rule})";
        return LoginNames.IsValid(userName);
    }

    /// <summary>
    /// A name the gateway cannot read never reaches Authentication, so the gateway records the attempt itself: a refused
    /// session of its own, with the name as given (shortened, control characters replaced) and why it was refused.
    /// </summary>
    private async Task RecordUnreadableNameAsync(string userName, string error)
    {
        var given = Printable.Of(userName, 128);
        var attempt = Guid.NewGuid();
        try
        {
            var events = new SessionEvents(given, sourceAddress, CorrelationId, services.Clock);
            await services.Journal.AppendAsync(attempt, events.Refused(attempt, "", "", SessionRefusalReason.UnreadableUserName, error),
                CancellationToken.None);
        }
        catch (Exception e)
        {
            services.Logger.LogError(e, "The refused user name from {Source} could not be recorded", sourceAddress);
        }
    }

    /// <summary>
    /// Asks Authentication within the decision timeout. The request's own timeout does not cover a bus that waits for an
    /// unreachable broker (even before the request returns a task): the deadline does, else the login would hang until
    /// the client gives up.
    /// </summary>
    private async Task<Response<TAccepted, AuthenticationRefused>> AskAuthenticationAsync<TRequest, TAccepted>(TRequest request,
        CancellationToken cancellationToken) where TRequest : class where TAccepted : class
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(services.Settings.DecisionTimeout);
        var timeout = RequestTimeout.After(ms: (int)services.Settings.DecisionTimeout.TotalMilliseconds);
        return await Task.Run(() => services.Bus.CreateRequestClient<TRequest>(timeout)
                .GetResponse<TAccepted, AuthenticationRefused>(request, deadline.Token), deadline.Token)
            .WaitAsync(deadline.Token);
    }

    private static bool IsNoAnswer(Exception e, CancellationToken connection) =>
        e is RequestTimeoutException || e is OperationCanceledException && !connection.IsCancellationRequested;

    /// <summary>
    /// ssh goes on from a refused key to keyboard-interactive, whose round shows the reason (see
    /// <see cref="KeyboardInteractiveAsync"/>); after a refused password it only asks for the password again, so that
    /// reason is shown at once, as a banner.
    /// </summary>
    private SshAuthResult Refuse(string method, string reason)
    {
        if (method == SshAuthMethods.Password)
        {
            return SshAuthResult.Refused($"gatehouse: {reason}");
        }

        // ssh offers a certificate and then its plain key: the user sees why each was refused, not only the last.
        _pendingRefusal = _pendingRefusal is { } earlier && earlier != reason ? $"{earlier}\r\ngatehouse: {reason}" : reason;
        return SshAuthResult.Failure;
    }

    public async ValueTask<SshKeyboardInteractiveStep> KeyboardInteractiveAsync(string userName, IReadOnlyList<string>? responses, CancellationToken cancellationToken)
    {
        if (_pendingRefusal is { } refusal)
        {
            if (responses is null)
            {
                // ssh prints a round's instruction, so a round without prompts is how the user learns why they were
                // refused (the key, the user name, the code); answering it ends the attempt.
                return SshKeyboardInteractiveStep.Ask("", $"gatehouse: {refusal}");
            }

            _pendingRefusal = null;
            return SshKeyboardInteractiveStep.Finish(SshAuthResult.Failure);
        }

        if (!_awaitingCode || _name is null)
        {
            // Nothing to ask yet (ssh tries this before the password). OpenSSH drops keyboard-interactive for the connection
            // when its first try saw no round of prompts, or after a few tries, either of which would leave a password user no
            // way to the one-time code: so one empty round, then it is withdrawn until a first factor asks for the code.
            return responses is null
                ? SshKeyboardInteractiveStep.Ask("", "")
                : SshKeyboardInteractiveStep.Finish(SshAuthResult.FailureAllowing(SshAuthMethods.PublicKey, SshAuthMethods.Password));
        }

        if (responses is null)
        {
            return SshKeyboardInteractiveStep.Ask("Gatehouse", "Your account requires a second factor.",
                new SshPrompt("One-time code: ", false));
        }

        if (responses.Count != 1)
        {
            return SshKeyboardInteractiveStep.Finish(SshAuthResult.Failure);
        }

        try
        {
            var response = await AskAuthenticationAsync<VerifyMfa, MfaVerified>(
                new VerifyMfa(_name.User, responses[0].Trim(), sourceAddress, CorrelationId), cancellationToken);
            if (response.Is(out Response<MfaVerified>? verified))
            {
                SignedIn = new SignedInUser(connectionId, _name, _method, _keyFingerprint, true, verified.Message.Roles, sourceAddress);
                return SshKeyboardInteractiveStep.Finish(SshAuthResult.Success);
            }

            var refused = (AuthenticationRefused)response.Message;
            _pendingRefusal = refused.Message;
            return SshKeyboardInteractiveStep.Ask("", $"gatehouse: {refused.Message}");
        }
        catch (Exception e) when (IsNoAnswer(e, cancellationToken))
        {
            return SshKeyboardInteractiveStep.Finish(SshAuthResult.Failure);
        }
    }
}
