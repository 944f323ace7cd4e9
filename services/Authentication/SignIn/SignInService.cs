using System.Net;
using Gatehouse.Authentication.Credentials.Mfa;
using Gatehouse.Authentication.Credentials.Passwords;
using Gatehouse.Vocabulary;
using Gatehouse.Authentication.Lockout;
using Gatehouse.Authentication.Users;
using Gatehouse.Contracts;
using Gatehouse.ServiceDefaults.EventStore;
using Marten;
using Marten.Exceptions;
using Microsoft.Extensions.Options;

namespace Gatehouse.Authentication.SignIn;

/// <summary>
/// Every authentication step — public key, password, second factor — with its throttling and its events. Each step
/// runs in one Marten session, so the outcome, the failure counts and the events are stored together or not at all.
/// </summary>
public sealed class SignInService(
    IDocumentStore store,
    SecretProtector secrets,
    IOptions<AuthenticationSettings> options,
    TimeProvider clock)
{
    public const string PublicKeyMethod = "publickey";
    public const string PasswordMethod = "password";
    public const string MfaMethod = "keyboard-interactive";

    /// <summary>A user certificate's attempts (ssh calls it publickey; operators and the detection rules tell them apart).</summary>
    public const string CertificateMethod = "certificate";

    public const int MaxCorrelationIdLength = 128;

    private const int ConcurrencyAttempts = 5;

    // Verified when the user does not exist, so a wrong user name costs as much time as a wrong password.
    private readonly Lazy<string> _decoyHash = new(() => new PasswordHasher(options).Hash(Guid.NewGuid().ToString()));

    private LockoutSettings Policy => options.Value.Lockout;

    /// <summary>Checks request fields the gateway supplies; a malformed request is refused without storing anything.</summary>
    public static string? ValidateRequest(string? userName, string? sourceAddress, string? correlationId)
    {
        if (string.IsNullOrEmpty(userName) || userName.Length > UserNames.MaxLength * 2)
        {
            return $"User name must be 1 to {UserNames.MaxLength * 2} characters.";
        }

        if (string.IsNullOrWhiteSpace(correlationId) || correlationId.Length > MaxCorrelationIdLength)
        {
            return $"Correlation id must be 1 to {MaxCorrelationIdLength} characters.";
        }

        return sourceAddress is null || IPAddress.TryParse(sourceAddress, out _) ? null : "Source address is not an IP address.";
    }

    /// <param name="certificateRefused">
    /// The key's certificate was refused on this connection a moment before and that failed login recorded: if the key is
    /// no key of this user, it is the same attempt (ssh offers a certificate, then its plain key), so it is refused
    /// without recording a second failure that would count twice towards brute force.
    /// </param>
    public Task<SignInOutcome> PublicKeyAsync(string userName, OpenSshPublicKey key, bool certificateRefused, string? source,
        string correlationId, CancellationToken cancellationToken) =>
        RunAsync(userName, source, correlationId, PublicKeyMethod, key.Fingerprint, null, async attempt =>
        {
            // A key cannot be guessed, so a wrong one counts against nothing: offering random keys locks nobody out, and
            // an agent holding many keys does not lock its owner out (the gateway bounds attempts per connection).
            if (attempt.User is not { } user || user.FindKey(key.Fingerprint) is not { } registered)
            {
                var reason = attempt.User is null ? LoginFailureReason.UnknownUser : LoginFailureReason.UnknownKey;
                return certificateRefused ? SignInOutcome.Refused(reason) : attempt.Fail(reason, countAgainstUser: false);
            }

            return registered.ExpiresAt <= attempt.Now ? attempt.Fail(LoginFailureReason.KeyExpired, countAgainstUser: false)
                : user.Disabled ? attempt.Fail(LoginFailureReason.AccountDisabled, countAgainstUser: false)
                : await attempt.FirstFactorAccepted(user);
        }, cancellationToken);

    /// <summary>
    /// A key the gateway accepted through a user certificate from a trusted CA: the certificate stands for the registered
    /// key, and the account (exists, enabled, second factor) decides as for one.
    /// </summary>
    public Task<SignInOutcome> UserCertificateAsync(string userName, string keyFingerprint, string? source, string correlationId,
        CancellationToken cancellationToken) =>
        RunAsync(userName, source, correlationId, CertificateMethod, keyFingerprint, null, async attempt =>
            attempt.User is not { } user ? attempt.Fail(LoginFailureReason.UnknownUser, countAgainstUser: false)
            : user.Disabled ? attempt.Fail(LoginFailureReason.AccountDisabled, countAgainstUser: false)
            : await attempt.FirstFactorAccepted(user), cancellationToken);

    public Task<SignInOutcome> PasswordAsync(string userName, string password, string? source, string correlationId,
        string method, CancellationToken cancellationToken) =>
        RunAsync(userName, source, correlationId, method, null, GuessableFactor.Password, async attempt =>
        {
            var user = attempt.User;
            var hash = user?.PasswordHash;
            var passwordIsRight = PasswordHasher.Verify(password, hash ?? _decoyHash.Value) && hash is not null;
            // Each counts against the user name as a wrong password does, so neither the reply nor a throttle tells an
            // unknown user or an account without a password from one with a password.
            return user is null ? attempt.Fail(LoginFailureReason.UnknownUser, countAgainstUser: true)
                : hash is null ? attempt.Fail(LoginFailureReason.PasswordNotSet, countAgainstUser: true)
                : !passwordIsRight ? attempt.Fail(LoginFailureReason.WrongPassword, countAgainstUser: true)
                : user.Disabled ? attempt.Fail(LoginFailureReason.AccountDisabled, countAgainstUser: false)
                : await attempt.FirstFactorAccepted(user);
        }, cancellationToken);

    public Task<SignInOutcome> MfaAsync(string userName, string code, string? source, string correlationId,
        CancellationToken cancellationToken) =>
        RunAsync(userName, source, correlationId, MfaMethod, null, GuessableFactor.SecondFactor, async attempt =>
        {
            var pending = await attempt.Session.LoadAsync<PendingMfa>(correlationId, cancellationToken);
            if (pending is null || pending.UserName != attempt.UserName || pending.ExpiresAt <= attempt.Now
                || attempt.User is not { MfaRequired: true } user)
            {
                // No first factor came before this code: it is not a guess at anyone's second factor, and must not lock one.
                return attempt.Fail(LoginFailureReason.WrongMfaCode, countAgainstUser: false);
            }

            if (user.Disabled)
            {
                return attempt.Fail(LoginFailureReason.AccountDisabled, countAgainstUser: false);
            }

            var stream = await attempt.Session.Events.FetchForWriting<UserAccount>(user.Id, cancellationToken);
            var totp = stream.Aggregate!.Totp!;
            if (RecoveryCodes.LooksLikeRecoveryCode(code))
            {
                var hash = RecoveryCodes.Hash(code);
                if (!totp.RecoveryCodeHashes.Contains(hash))
                {
                    return attempt.Fail(LoginFailureReason.WrongMfaCode, countAgainstUser: true);
                }

                stream.AppendOne(new RecoveryCodeConsumed(user.Id, hash, attempt.Now));
                attempt.Record(new MfaRecoveryCodeUsed(attempt.UserName, totp.RecoveryCodeHashes.Count - 1,
                    attempt.UserName, source, correlationId, EventIds.New(attempt.Now), attempt.Now));
                return attempt.LoginCompleted(user, pending);
            }

            var secret = secrets.Unprotect(totp.ProtectedSecret, user.Id);
            if (Totp.Match(secret, code, attempt.Now, totp.LastUsedStep) is not { } step)
            {
                var reason = Totp.IsReplay(secret, code, attempt.Now, totp.LastUsedStep)
                    ? LoginFailureReason.MfaCodeReused
                    : LoginFailureReason.WrongMfaCode;
                return attempt.Fail(reason, countAgainstUser: true);
            }

            stream.AppendOne(new TotpStepUsed(user.Id, step, attempt.Now));
            return attempt.LoginCompleted(user, pending);
        }, cancellationToken);

    private async Task<SignInOutcome> RunAsync(string presentedName, string? source, string correlationId, string method,
        string? keyFingerprint, GuessableFactor? factor, Func<LoginAttempt, Task<SignInOutcome>> decide, CancellationToken cancellationToken)
    {
        var userName = UserNames.Normalise(presentedName);
        source = source is null ? null : IPAddress.Parse(source).ToString();
        for (var attemptNumber = 1; ; attemptNumber++)
        {
            await using var session = store.LightweightSession();
            var now = clock.GetUtcNow();
            string[] throttleIds = factor is { } guessed
                ? [LoginThrottle.ForSource(guessed, source), LoginThrottle.ForUserAtSource(guessed, userName, source), LoginThrottle.ForAccount(guessed, userName)]
                : [];
            var batch = session.CreateBatchQuery();
            var throttlesLoaded = batch.LoadMany<LoginThrottle>().ById(throttleIds);
            var userLoaded = batch.Query(new UserByName { UserName = userName });
            await batch.Execute(cancellationToken);
            var stored = (await throttlesLoaded).ToDictionary(t => t.Id);
            var throttles = throttleIds.Select(id => stored.GetValueOrDefault(id) ?? new LoginThrottle { Id = id }).ToArray();

            var attempt = new LoginAttempt(session, now, userName, source, correlationId, method, keyFingerprint,
                await userLoaded, factor, throttles, Policy);

            var outcome = attempt.RefusedByThrottle() ?? await decide(attempt);
            try
            {
                await session.SaveChangesAsync(cancellationToken);
                return outcome;
            }
            catch (Exception ex) when (StoreErrors.IsConflict(ex) && attemptNumber < ConcurrencyAttempts)
            {
                // Another attempt for the same user or source committed first: decide again on what it stored.
            }
        }
    }

    /// <summary>One authentication step in progress: what was loaded, and what it will store.</summary>
    private sealed class LoginAttempt(
        IDocumentSession session,
        DateTimeOffset now,
        string userName,
        string? source,
        string correlationId,
        string method,
        string? keyFingerprint,
        UserAccount? user,
        GuessableFactor? factor,
        LoginThrottle[] throttles,
        LockoutSettings policy)
    {
        public IDocumentSession Session => session;
        public DateTimeOffset Now => now;
        public string UserName => userName;
        public UserAccount? User => user;

        private FactorThrottles State => new(throttles[0].State, throttles[1].State, throttles[2].State);

        public SignInOutcome? RefusedByThrottle() =>
            factor is { } guessed && GuessThrottle.Refusal(State, guessed, now, policy) is { } reason ? Fail(reason, false) : null;

        public void Record(IAccessEvent accessEvent) => session.AppendAccessEvent(LoginStreams.For(correlationId), accessEvent);

        public SignInOutcome Fail(LoginFailureReason reason, bool countAgainstUser)
        {
            Record(method == MfaMethod
                ? new MfaFailed(userName, reason, userName, source, correlationId, NewEventId(), now)
                : new LoginFailed(userName, method, reason, keyFingerprint, userName, source, correlationId, NewEventId(), now));

            // Refusals because of a block do not extend it (its length stays predictable), and keys are not guessed.
            if (reason is LoginFailureReason.AccountLocked or LoginFailureReason.TooManyAttempts || factor is not { } guessed)
            {
                return SignInOutcome.Refused(reason);
            }

            var failure = GuessThrottle.RecordFailure(State, guessed, now, policy, countAgainstUser);
            Save(failure.State);
            var address = source ?? LoginThrottle.UnknownSource;
            if (failure.Source.LockedUntil is { } sourceBlockedUntil)
            {
                Record(new SourceAddressThrottled(address, failure.Source.RecentFailures, sourceBlockedUntil, userName, source, correlationId, NewEventId(), now));
            }

            if (failure.UserAtSource.LockedUntil is { } blockedUntil)
            {
                Record(new LoginThrottled(userName, LoginThrottle.FactorName(guessed), address, failure.UserAtSource.RecentFailures,
                    blockedUntil, userName, source, correlationId, NewEventId(), now));
            }

            if (failure.Account?.LockedUntil is { } lockedUntil)
            {
                Record(new AccountLocked(userName, failure.Account.RecentFailures, lockedUntil, userName, source, correlationId, NewEventId(), now));
            }

            return SignInOutcome.Refused(reason);
        }

        public Task<SignInOutcome> FirstFactorAccepted(UserAccount account)
        {
            FactorAccepted();
            if (account.MfaRequired)
            {
                session.Store(new PendingMfa(correlationId, userName, method, keyFingerprint, now + policy.MfaGraceTime));
                return Task.FromResult(new SignInOutcome(account, null, true));
            }

            return Task.FromResult(Completed(account, method, keyFingerprint));
        }

        public SignInOutcome LoginCompleted(UserAccount account, PendingMfa pending)
        {
            session.Delete(pending);
            FactorAccepted();
            return Completed(account, pending.Method + "," + MfaMethod, pending.KeyFingerprint);
        }

        private SignInOutcome Completed(UserAccount account, string methods, string? fingerprint)
        {
            Record(new LoginSucceeded(userName, methods, fingerprint, userName, source, correlationId, NewEventId(), now));
            return new SignInOutcome(account, null, false);
        }

        /// <summary>
        /// The right password or code forgets this user name's failures of that factor (here and across addresses); the
        /// address's own count stays, so an attacker cannot reset it with an account of their own.
        /// </summary>
        private void FactorAccepted()
        {
            if (factor is null)
            {
                return;
            }

            var state = State;
            Save(state with
            {
                UserAtSource = state.UserAtSource.IsClear ? state.UserAtSource : Throttle.Cleared(state.UserAtSource, now),
                Account = state.Account.IsClear ? state.Account : Throttle.Cleared(state.Account, now),
            });
        }

        private void Save(FactorThrottles state)
        {
            ThrottleState[] states = [state.Source, state.UserAtSource, state.Account];
            for (var i = 0; i < throttles.Length; i++)
            {
                if (!ReferenceEquals(throttles[i].State, states[i]))
                {
                    throttles[i].State = states[i];
                    session.Store(throttles[i]);
                }
            }
        }

        private Guid NewEventId() => EventIds.New(now);
    }
}
