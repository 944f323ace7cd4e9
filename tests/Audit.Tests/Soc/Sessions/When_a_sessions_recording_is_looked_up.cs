using Gatehouse.Audit.Soc.Sessions;

namespace Gatehouse.Audit.Tests.Soc.Sessions;

/// <summary>The recording's place comes over the bus in SessionEnded: only the gateway's own form, for that session, is followed.</summary>
public sealed class When_a_sessions_recording_is_looked_up : IDisposable
{
    private static readonly DateTimeOffset Started = new(2026, 12, 4, 23, 59, 30, TimeSpan.Zero);
    private readonly string _root = Directory.CreateTempSubdirectory("recordings-").FullName;
    private readonly Guid _id = Guid.NewGuid();

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void Should_find_the_recording_where_the_session_end_says_it_is()
    {
        var file = Write($"2026/12/05/{_id:D}.cast");

        Assert.Equal(file, RecordingFiles.Find(_root, View($"2026/12/05/{_id:D}.cast")));
    }

    [Theory]
    [InlineData("../../../etc/passwd")]
    [InlineData("/etc/passwd")]
    [InlineData("2026/12/05/../../../../etc/passwd")]
    [InlineData("2026/12/05/{other}.cast")]
    [InlineData("2026/12/05/{id}.cast.bak")]
    public void Follows_no_other_place(string recorded)
    {
        var other = Guid.NewGuid();
        Write($"2026/12/05/{other:D}.cast");
        Write($"2026/12/05/{_id:D}.cast.bak");

        Assert.Null(RecordingFiles.Find(_root, View(recorded.Replace("{other}", other.ToString("D")).Replace("{id}", _id.ToString("D")))));
    }

    [Fact]
    public void Should_find_a_recording_of_a_session_that_ended_before_the_place_was_carried_by_its_day()
    {
        var file = Write($"2026/12/05/{_id:D}.cast");

        Assert.Equal(file, RecordingFiles.Find(_root, View(null)));
    }

    private SessionView View(string? recording) => new() { Id = _id, StartedAt = Started, Recording = recording };

    private string Write(string relative)
    {
        var file = Path.Combine(_root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        File.WriteAllText(file, "{}\n");
        return file;
    }
}
