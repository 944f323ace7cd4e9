using System.Security.Cryptography;
using System.Text;

namespace Gatehouse.EndToEnd.Tests.Support;

/// <summary>
/// A local account that exists only for the password tests (it needs root to create): created once and kept, its
/// password set anew, at random, by each run and locked when the run is done. Runs on the same machine take turns through a lock file, so one run
/// never changes the password under another.
/// </summary>
public sealed class PasswordAccount : IAsyncDisposable
{
    public const string Name = "gatehouse-e2e-pw";
    private const string LockFile = "/run/lock/gatehouse-e2e-pw.lock";

    private readonly FileStream _turn;

    private PasswordAccount(FileStream turn, string password)
    {
        _turn = turn;
        Password = password;
    }

    public string Password { get; }

    public static bool CanCreate => Environment.UserName == "root";

    public static async Task<PasswordAccount> PrepareAsync()
    {
        var turn = await TakeTurnAsync();
        try
        {
            if ((await Processes.RunAsync("id", ["-u", Name])).ExitCode != 0)
            {
                var created = await Processes.RunAsync("useradd",
                    ["--create-home", "--shell", "/bin/sh", "--comment", "Gatehouse end-to-end tests only", Name]);
                // 9: created meanwhile by a run that did not take the lock (an older one).
                if (created.ExitCode is not (0 or 9))
                {
                    throw new InvalidOperationException($"useradd {Name} failed: {created.Error}");
                }
            }

            // Letters and digits only, so that no shell, PAM module or prompt treats any of it specially.
            var password = "e2e" + Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant();
            var set = await Processes.RunAsync("chpasswd", [], Encoding.UTF8.GetBytes($"{Name}:{password}\n"));
            if (set.ExitCode != 0)
            {
                throw new InvalidOperationException($"chpasswd for {Name} failed: {set.Error}");
            }

            return new PasswordAccount(turn, password);
        }
        catch
        {
            await turn.DisposeAsync();
            throw;
        }
    }

    /// <summary>An exclusive lock on the file (.NET takes flock for FileShare.None), held until disposed.</summary>
    private static async Task<FileStream> TakeTurnAsync()
    {
        var deadline = DateTime.UtcNow.AddMinutes(10);
        while (true)
        {
            try
            {
                return new FileStream(LockFile, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(500);
            }
        }
    }

    /// <summary>Locks the password again: between runs the account cannot sign in anywhere, with any password.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            await Processes.RunAsync("passwd", ["--lock", Name]);
        }
        finally
        {
            await _turn.DisposeAsync();
        }
    }
}
