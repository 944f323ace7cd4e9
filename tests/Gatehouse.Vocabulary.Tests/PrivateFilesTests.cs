namespace Gatehouse.Vocabulary.Tests;

[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]

public sealed class PrivateFilesTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("gatehouse-vocabulary-").FullName;

    [Fact]
    public void A_private_file_is_the_owners_alone_from_its_creation_and_never_overwritten()
    {
        var path = Path.Combine(_directory, "secret");
        using (var stream = PrivateFiles.Create(path))
        {
            // Already 0600 while it is being written, not chmod-ed afterwards.
            Assert.Equal(PrivateFiles.OwnerOnly, File.GetUnixFileMode(path));
            stream.WriteByte(1);
        }

        Assert.Throws<IOException>(() => PrivateFiles.Create(path).Dispose());
        Assert.Equal([1], File.ReadAllBytes(path));
    }

    [Fact]
    public void A_file_readable_by_others_is_restricted_to_its_owner()
    {
        var path = Path.Combine(_directory, "key");
        File.WriteAllText(path, "k");
        File.SetUnixFileMode(path, PrivateFiles.OwnerOnly | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        Assert.True(PrivateFiles.RestrictToOwner(path));
        Assert.Equal(PrivateFiles.OwnerOnly, File.GetUnixFileMode(path));
        Assert.False(PrivateFiles.RestrictToOwner(path));
    }

    [Fact]
    public void A_private_directory_is_the_owners_alone()
    {
        var path = Path.Combine(_directory, "keys");
        PrivateFiles.CreateDirectory(path);
        Assert.Equal(PrivateFiles.OwnerOnlyDirectory, File.GetUnixFileMode(path));
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
