namespace Gatehouse.Vocabulary;

/// <summary>
/// Files only the service's OS user may read (signing keys, host keys, secrets, recordings, tokens): created with
/// mode 0600 from the first byte, never chmod-ed afterwards, so there is no moment in which another user can open them.
/// </summary>
public static class PrivateFiles
{
    public const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public const UnixFileMode OwnerOnlyDirectory = OwnerOnly | UnixFileMode.UserExecute;

    /// <summary>Creates a new file for writing; fails when it exists, so an existing secret is never overwritten.</summary>
    public static FileStream Create(string path, FileShare share = FileShare.None, FileOptions options = FileOptions.None)
    {
        var streamOptions = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = share, Options = options };
        if (!OperatingSystem.IsWindows())
        {
            streamOptions.UnixCreateMode = OwnerOnly;
        }

        return new FileStream(path, streamOptions);
    }

    /// <summary>Creates the folder if needed and makes it the owner's alone (0700).</summary>
    public static void CreateDirectory(string path)
    {
        Directory.CreateDirectory(path);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, OwnerOnlyDirectory);
        }
    }

    /// <summary>Takes group and other permissions away from a file someone made readable to them; true when it had any.</summary>
    public static bool RestrictToOwner(string path)
    {
        if (OperatingSystem.IsWindows() || (File.GetUnixFileMode(path) & ~OwnerOnly) == 0)
        {
            return false;
        }

        File.SetUnixFileMode(path, OwnerOnly);
        return true;
    }
}
