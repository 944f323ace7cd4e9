namespace Gatehouse.Authentication.Api;

/// <summary>Files only this service's OS user may read: the signing key and the bootstrap secret.</summary>
public static class PrivateFile
{
    public static FileStream Create(string path)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        return new FileStream(path, options);
    }
}
