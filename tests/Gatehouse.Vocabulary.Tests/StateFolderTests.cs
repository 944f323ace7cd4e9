namespace Gatehouse.Vocabulary.Tests;

public sealed class StateFolderTests
{
    [Fact]
    public void The_configured_folder_is_the_root_and_relative_paths_are_under_it()
    {
        var root = StateFolder.Root("/var/lib/gatehouse", "/srv/app");

        Assert.Equal("/var/lib/gatehouse", root);
        Assert.Equal("/var/lib/gatehouse/authentication", StateFolder.Resolve(root, "authentication"));
        Assert.Equal("/elsewhere/keys", StateFolder.Resolve(root, "/elsewhere/keys"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public void Without_a_setting_state_stays_under_the_content_root(string? configured) =>
        Assert.Equal("/srv/app/.gatehouse", StateFolder.Root(configured, "/srv/app"));
}
