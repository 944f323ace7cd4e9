using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Gatehouse.SessionBroker.Recording;

/// <summary>
/// Writes a session as an asciicast v2 file while it runs (playable with <c>asciinema play</c>): a header line,
/// then one JSON array per event with the seconds since the start — output "o", input "i" (when configured),
/// terminal resize "r" and markers "m". The SHA-256 of every byte written is computed on the way, so the hash in
/// SessionEnded proves the file unchanged.
/// </summary>
public sealed class AsciicastRecorder : IAsyncDisposable
{
    private readonly Stream _file;
    private readonly IncrementalHash _sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly ArrayBufferWriter<byte> _line = new(1024);
    private readonly Decoder _outputDecoder = new UTF8Encoding(false).GetDecoder();
    private readonly Decoder _inputDecoder = new UTF8Encoding(false).GetDecoder();
    private readonly TimeProvider _clock;
    private readonly long _started;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private string? _sha256Hex;

    public AsciicastRecorder(Stream file, TimeProvider clock, int width, int height, string title, string? term)
    {
        _file = file;
        _clock = clock;
        _started = clock.GetTimestamp();
        using var writer = new Utf8JsonWriter(_line);
        writer.WriteStartObject();
        writer.WriteNumber("version", 2);
        writer.WriteNumber("width", Math.Max(1, width));
        writer.WriteNumber("height", Math.Max(1, height));
        writer.WriteNumber("timestamp", clock.GetUtcNow().ToUnixTimeSeconds());
        writer.WriteString("title", title);
        writer.WriteStartObject("env");
        writer.WriteString("TERM", term ?? "xterm");
        writer.WriteEndObject();
        writer.WriteEndObject();
        writer.Flush();
        WriteLineSync();
    }

    public bool Completed => _sha256Hex is not null;

    public ValueTask OutputAsync(ReadOnlyMemory<byte> data) => WriteEventAsync("o", data.Span, _outputDecoder);

    public ValueTask InputAsync(ReadOnlyMemory<byte> data) => WriteEventAsync("i", data.Span, _inputDecoder);

    public ValueTask ResizeAsync(int width, int height) => WriteEventAsync("r", $"{width}x{height}");

    public ValueTask MarkerAsync(string label) => WriteEventAsync("m", label);

    /// <summary>Flushes the file to disk and returns the hex SHA-256 of its whole content.</summary>
    public async Task<string> CompleteAsync()
    {
        await _gate.WaitAsync();
        try
        {
            if (_sha256Hex is null)
            {
                await _file.FlushAsync();
                if (_file is FileStream fileStream)
                {
                    fileStream.Flush(flushToDisk: true);
                }

                _sha256Hex = Convert.ToHexStringLower(_sha256.GetHashAndReset());
            }

            return _sha256Hex;
        }
        finally
        {
            _gate.Release();
        }
    }

    private ValueTask WriteEventAsync(string code, ReadOnlySpan<byte> data, Decoder decoder)
    {
        // Keep a multi-byte character split across packets whole: the decoder holds the partial bytes.
        var chars = new char[decoder.GetCharCount(data, flush: false)];
        decoder.GetChars(data, chars, flush: false);
        return chars.Length == 0 ? ValueTask.CompletedTask : WriteEventAsync(code, new string(chars));
    }

    private async ValueTask WriteEventAsync(string code, string text)
    {
        var seconds = _clock.GetElapsedTime(_started).TotalSeconds;
        await _gate.WaitAsync();
        try
        {
            if (_sha256Hex is not null)
            {
                return;
            }

            using (var writer = new Utf8JsonWriter(_line))
            {
                writer.WriteStartArray();
                writer.WriteRawValue(Math.Round(seconds, 6).ToString("0.000000", System.Globalization.CultureInfo.InvariantCulture));
                writer.WriteStringValue(code);
                writer.WriteStringValue(text);
                writer.WriteEndArray();
            }

            _line.Write("\n"u8);
            _sha256.AppendData(_line.WrittenSpan);
            await _file.WriteAsync(_line.WrittenMemory);
            _line.ResetWrittenCount();
        }
        finally
        {
            _gate.Release();
        }
    }

    private void WriteLineSync()
    {
        _line.Write("\n"u8);
        _sha256.AppendData(_line.WrittenSpan);
        _file.Write(_line.WrittenSpan);
        _line.ResetWrittenCount();
    }

    public async ValueTask DisposeAsync()
    {
        await CompleteAsync();
        await _file.DisposeAsync();
        _sha256.Dispose();
        _gate.Dispose();
    }
}
