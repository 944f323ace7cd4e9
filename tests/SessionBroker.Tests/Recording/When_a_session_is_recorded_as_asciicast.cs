using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Gatehouse.SessionBroker.Recording;

namespace Gatehouse.SessionBroker.Tests.Recording;

public sealed class When_a_session_is_recorded_as_asciicast
{
    [Fact]
    public async Task Should_write_asciicast_v2_with_a_hash_that_matches_the_file()
    {
        var path = Path.Combine(Path.GetTempPath(), $"gatehouse-{Guid.NewGuid():N}.cast");
        try
        {
            var recorder = new AsciicastRecorder(File.Create(path), TimeProvider.System, 120, 40, "alice@web01", "xterm-256color");
            await recorder.OutputAsync("$ "u8.ToArray());
            await recorder.InputAsync("ls\r"u8.ToArray());
            var euro = Encoding.UTF8.GetBytes("€\u001b[0m\r\n");
            await recorder.OutputAsync(euro.AsMemory(0, 2));
            await recorder.OutputAsync(euro.AsMemory(2));
            await recorder.ResizeAsync(100, 30);
            var sha256 = await recorder.CompleteAsync();
            await recorder.DisposeAsync();

            var bytes = await File.ReadAllBytesAsync(path);
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), sha256);

            var lines = (await File.ReadAllLinesAsync(path)).Select(l => JsonDocument.Parse(l).RootElement).ToList();
            Assert.Equal(2, lines[0].GetProperty("version").GetInt32());
            Assert.Equal(120, lines[0].GetProperty("width").GetInt32());
            Assert.Equal("xterm-256color", lines[0].GetProperty("env").GetProperty("TERM").GetString());
            var events = lines.Skip(1).Select(e => (Time: e[0].GetDouble(), Code: e[1].GetString(), Data: e[2].GetString())).ToList();
            Assert.Equal(["o", "i", "o", "r"], events.Select(e => e.Code));
            Assert.Equal("€\u001b[0m\r\n", events[2].Data);
            Assert.Equal("100x30", events[3].Data);
            Assert.True(events.Zip(events.Skip(1)).All(pair => pair.First.Time <= pair.Second.Time));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task Should_write_nothing_after_the_recording_is_completed()
    {
        var stream = new MemoryStream();
        var recorder = new AsciicastRecorder(stream, TimeProvider.System, 80, 24, "t", null);
        var first = await recorder.CompleteAsync();
        await recorder.OutputAsync("late"u8.ToArray());
        Assert.Equal(first, await recorder.CompleteAsync());
        Assert.DoesNotContain("late", Encoding.UTF8.GetString(stream.ToArray()));
    }
}
