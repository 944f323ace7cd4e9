namespace Gatehouse.EndToEnd.Tests.Support;

/// <summary>
/// Two real sshd targets that accept only the password of <see cref="PasswordAccount"/>: one checks it itself, the
/// other through PAM (keyboard-interactive only). Nothing is started when not root: those tests are skipped.
/// </summary>
public sealed class PasswordTargets : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("gatehouse-e2e-pw-").FullName;
    private PasswordAccount? _account;

    public string Password => _account!.Password;

    public SshTarget SshdChecked { get; private set; } = null!;

    public SshTarget PamChecked { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        if (!PasswordAccount.CanCreate)
        {
            return;
        }

        _account = await PasswordAccount.PrepareAsync();
        SshdChecked = await SshTarget.StartForPasswordAsync(Path.Combine(_directory, "sshd"), PasswordAccount.Name, throughPam: false);
        PamChecked = await SshTarget.StartForPasswordAsync(Path.Combine(_directory, "pam"), PasswordAccount.Name, throughPam: true);
    }

    public async Task DisposeAsync()
    {
        foreach (var target in new[] { SshdChecked, PamChecked })
        {
            if (target is not null)
            {
                await target.DisposeAsync();
            }
        }

        if (_account is not null)
        {
            await _account.DisposeAsync();
        }

        Directory.Delete(_directory, recursive: true);
    }
}
