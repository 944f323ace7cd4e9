using Gatehouse.Authentication.Users;
using Gatehouse.ServiceDefaults.Settings;
using Gatehouse.Vocabulary;
using Marten;

namespace Gatehouse.Authentication.Bootstrap;

/// <summary>
/// The first-run path to the first admin, with no default password anywhere: while no active admin exists, each start
/// writes a fresh one-time secret to <c>bootstrap-secret</c> (mode 0600) in the state directory. Whoever can read that
/// file — the operator on the host — can create the first admin with it, once.
/// </summary>
public sealed class BootstrapSecret(IDocumentStore store, StatePaths state, ILogger<BootstrapSecret> logger)
    : IHostedService
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly HostLocalSecret _secret = new(Path.Combine(state.Resolve(AuthenticationSettings.StateFolder), "bootstrap-secret"));

    public string FilePath => _secret.FilePath;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        // A secret left by an earlier start is never valid again.
        _secret.Withdraw();
        await using var session = store.QuerySession();
        if (await AnyActiveAdminAsync(session, cancellationToken))
        {
            return;
        }

        await _secret.RenewAsync(cancellationToken);
        logger.LogWarning("No admin exists yet: create the first one with 'gatehouse bootstrap', using the one-time secret in {File}", FilePath);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// Runs <paramref name="createAdmin"/> if <paramref name="secret"/> is the current one and still no admin exists;
    /// the secret is spent on success. Returns false when the secret is wrong or spent.
    /// </summary>
    public async Task<bool> RedeemAsync(string secret, Func<Task<bool>> createAdmin, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (!_secret.Matches(secret))
            {
                return false;
            }

            await using var session = store.QuerySession();
            if (await AnyActiveAdminAsync(session, cancellationToken) || !await createAdmin())
            {
                return false;
            }

            _secret.Withdraw();
            return true;
        }
        finally
        {
            _gate.Release();
        }
    }

    private static Task<bool> AnyActiveAdminAsync(IQuerySession session, CancellationToken cancellationToken) =>
        session.Query<UserAccount>().AnyAsync(u => !u.Deleted && !u.Disabled && u.Roles.Contains(Roles.Admin), cancellationToken);
}
