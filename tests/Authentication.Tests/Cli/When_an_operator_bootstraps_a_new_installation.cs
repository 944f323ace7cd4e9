namespace Gatehouse.Authentication.Tests.Cli;

/// <summary>The first run: no default password anywhere, one secret on the host, usable once.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class When_an_operator_bootstraps_a_new_installation : IAsyncLifetime
{
    private const string Password = "a long first admin passphrase";
    private readonly Installation _installation = new();

    public Task InitializeAsync() => _installation.InitializeAsync();

    public Task DisposeAsync() => _installation.DisposeAsync();

    [Fact]
    public async Task Should_create_the_first_admin_once_with_the_one_time_secret_and_never_again()
    {
        var cli = _installation.Cli;
        Assert.True(File.Exists(_installation.SecretFile));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(_installation.SecretFile));
        // No account exists to log in with before the bootstrap: there is no default one.
        var tokenFile = Path.Combine(_installation.StateDirectory, "token");
        Assert.Equal(1, (await cli.RunWithInputAsync("admin\n\n", "login", "--user", "admin", "--token-file", tokenFile)).Exit);

        var wrongSecretFile = Path.Combine(_installation.StateDirectory, "guessed-secret");
        await File.WriteAllTextAsync(wrongSecretFile, "guessed");
        var wrongSecret = await cli.RunWithInputAsync(Password + "\n", "bootstrap", "--secret-file", wrongSecretFile, "--user", "mallory");
        var shortPassword = await cli.RunWithInputAsync("short\n", "bootstrap", "--secret-file", _installation.SecretFile, "--user", "root-op");
        var noSecretFile = await cli.RunWithInputAsync(Password + "\n", "bootstrap", "--secret-file", wrongSecretFile + ".missing", "--user", "root-op");
        Assert.Equal(1, wrongSecret.Exit);
        Assert.Contains("The bootstrap secret is wrong or already used", wrongSecret.Error);
        Assert.Equal(1, shortPassword.Exit);
        Assert.Contains("password: Password must be at least 12 characters.", shortPassword.Error);
        Assert.Equal(1, noSecretFile.Exit);
        Assert.Contains("does not exist", noSecretFile.Error);
        Assert.True(File.Exists(_installation.SecretFile), "a refused bootstrap must not spend the secret");

        var spentSecretFile = Path.Combine(_installation.StateDirectory, "spent-secret");
        File.Copy(_installation.SecretFile, spentSecretFile);
        var created = await cli.RunWithInputAsync(Password + "\n", "bootstrap", "--secret-file", _installation.SecretFile, "--user", "Root-Op");
        Assert.True(created.Exit == 0, created.ToString());
        Assert.Contains("Created admin 'Root-Op'", created.Out);
        Assert.False(File.Exists(_installation.SecretFile), "the spent secret must be gone from the host");

        var again = await cli.RunWithInputAsync(Password + "\n", "bootstrap", "--secret-file", spentSecretFile, "--user", "second-admin");
        Assert.Equal(1, again.Exit);
        Assert.Contains("The bootstrap secret is wrong or already used", again.Error);

        var login = await cli.RunWithInputAsync(Password + "\n\n", "login", "--user", "root-op", "--token-file", tokenFile);
        Assert.True(login.Exit == 0, login.ToString());
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(tokenFile));
        var users = await cli.WithToken(tokenFile).RunAsync("users", "list");
        Assert.True(users.Exit == 0, users.ToString());
        Assert.Contains("\"userName\": \"root-op\"", users.Out);
        Assert.DoesNotContain("second-admin", users.Out);
        Assert.DoesNotContain("mallory", users.Out);

        // An admin exists now, so a restart writes no new secret: the bootstrap stays closed.
        await _installation.RestartAsync();
        Assert.False(File.Exists(_installation.SecretFile));
        var afterRestart = await _installation.Cli.RunWithInputAsync(Password + "\n", "bootstrap", "--secret-file", _installation.SecretFile, "--user", "late");
        Assert.Equal(1, afterRestart.Exit);
        Assert.Contains("does not exist", afterRestart.Error);

        // Another checkout or host on the same store starts with a state directory that does not exist yet.
        var elsewhere = Path.Combine(_installation.StateRoot, "elsewhere");
        await _installation.RestartAsync(elsewhere);
        Assert.False(File.Exists(Path.Combine(elsewhere, AuthenticationSettings.StateFolder, "bootstrap-secret")));
        Assert.True((await _installation.Cli.RunWithInputAsync(Password + "\n\n", "login", "--user", "root-op", "--token-file", tokenFile)).Exit == 0);
    }
}
