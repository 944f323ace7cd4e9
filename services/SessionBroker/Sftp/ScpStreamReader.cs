using System.Text;
using Gatehouse.Contracts;
using Gatehouse.Vocabulary;

namespace Gatehouse.SessionBroker.Sftp;

/// <summary>
/// Reads the legacy scp protocol (<c>scp -O</c>, the rcp protocol) on the side that sends the files: the user's side for
/// an upload (<c>scp -t</c>), the target's for a download (<c>scp -f</c>). Each file (<c>C</c> line) and directory
/// (<c>D</c> ... <c>E</c>) is reported with its full path on the target; file contents are counted past by their
/// declared size. Anything else is not scp and loses the stream.
/// </summary>
public sealed class ScpStreamReader : ITransferReader
{
    /// <summary>Far more than a mode, a size and a file name (NAME_MAX) take; the scp sink itself reads at most 2 KiB.</summary>
    private const int MaxLine = 8 * 1024;

    private readonly bool _upload;
    private readonly string? _target;
    private readonly bool _targetIsDirectory;
    private readonly IReadOnlyList<string> _sources;
    private readonly Stack<string> _directories = new();
    private readonly List<byte> _line = [];
    private long _content;
    private bool _afterContent;
    private bool _errorLine;

    private ScpStreamReader(bool upload, string? target, bool targetIsDirectory, IReadOnlyList<string> sources)
    {
        (_upload, _target, _targetIsDirectory, _sources) = (upload, target, targetIsDirectory, sources);
    }

    public string? Lost { get; private set; }

    /// <summary>The reader for <c>scp -t target</c> or <c>scp -f source...</c> given as words; null when it is neither.</summary>
    public static ITransferReader? For(IReadOnlyList<string> words)
    {
        var start = IndexOfScp(words);
        if (start < 0)
        {
            return null;
        }

        var flags = new HashSet<char>();
        var i = start + 1;
        for (; i < words.Count && words[i].StartsWith('-') && words[i].Length > 1; i++)
        {
            if (words[i] == "--")
            {
                i++;
                break;
            }

            flags.UnionWith(words[i][1..]);
        }

        var upload = flags.Contains('t');
        if (upload == flags.Contains('f'))
        {
            return null;
        }

        var paths = words.Skip(i).ToList();
        if (!flags.IsSubsetOf("tfrdpv") || paths.Count == 0 || (upload && paths.Count != 1))
        {
            return new UnfollowableTransfer($"the scp command '{string.Join(' ', words)}' has options or paths the gateway cannot follow");
        }

        return upload
            ? new ScpStreamReader(true, paths[0], flags.Contains('d') || IsDirectoryByName(paths[0]), [])
            : new ScpStreamReader(false, null, false, paths);
    }

    /// <summary>Where scp runs as the server side of a transfer (-t or -f); -1 when the words run no scp.</summary>
    public static int IndexOfScp(IReadOnlyList<string> words)
    {
        for (var i = 0; i < words.Count; i++)
        {
            if (Path.GetFileName(words[i]) == "scp"
                && words.Skip(i + 1).TakeWhile(w => w.StartsWith('-') && w != "--").Any(w => w.Contains('t') || w.Contains('f')))
            {
                return i;
            }
        }

        return -1;
    }

    public IReadOnlyList<SftpRequest> FromClient(ReadOnlySpan<byte> data) => _upload ? Read(data) : [];

    public IReadOnlyList<SftpRequest> FromTarget(ReadOnlySpan<byte> data) => _upload ? [] : Read(data);

    private List<SftpRequest> Read(ReadOnlySpan<byte> data)
    {
        var found = new List<SftpRequest>();
        while (!data.IsEmpty && Lost is null)
        {
            if (_content > 0)
            {
                var skipped = (int)Math.Min(_content, data.Length);
                _content -= skipped;
                data = data[skipped..];
                continue;
            }

            if (_afterContent)
            {
                // After a file's contents the sender says whether it read them all: 0, or 1 and an error line.
                _afterContent = false;
                var status = data[0];
                data = data[1..];
                if (status is 1 or 2)
                {
                    _errorLine = true;
                }
                else if (status != 0)
                {
                    Lost = $"scp sent byte {status} after a file's contents where 0 or an error was expected";
                }

                continue;
            }

            var end = data.IndexOf((byte)'\n');
            var take = end < 0 ? data.Length : end;
            if (_line.Count + take > MaxLine)
            {
                Lost = $"scp sent a line longer than {MaxLine} bytes";
                break;
            }

            _line.AddRange(data[..take]);
            data = data[take..];
            if (end < 0)
            {
                break;
            }

            data = data[1..];
            var line = Encoding.UTF8.GetString([.. _line]);
            _line.Clear();
            if (Line(line) is { } request)
            {
                found.Add(request);
            }
        }

        return found;
    }

    private SftpRequest? Line(string line)
    {
        if (_errorLine || line.StartsWith('\u0001') || line.StartsWith('\u0002'))
        {
            // A warning or error the sender reports instead of a file: nothing was transferred.
            _errorLine = false;
            return null;
        }

        switch (line.FirstOrDefault())
        {
            case 'T' when line.Split(' ').Length == 4 && line[1..].Replace(" ", "").All(char.IsAsciiDigit):
                return null;
            case 'E' when line.Length == 1:
                if (!_directories.TryPop(out _))
                {
                    Lost = "scp ended a directory it never started";
                }

                return null;
            case 'C' or 'D' when Entry(line) is { } entry:
                var path = PathOf(entry.Name);
                if (line[0] == 'D')
                {
                    _directories.Push(path);
                    return new SftpRequest(_upload ? SftpOperation.MakeDirectory : SftpOperation.ListDirectory, path);
                }

                (_content, _afterContent) = (entry.Size, true);
                return new SftpRequest(_upload ? SftpOperation.OpenForWrite : SftpOperation.OpenForRead, path);
            default:
                Lost = $"scp sent '{Printable.Of(line, 80)}' where a file, a directory or its end was expected";
                return null;
        }
    }

    /// <summary>Reads <c>C0644 1234 name</c> or <c>D0755 0 name</c>; null when it is not one (scp refuses such names too).</summary>
    private static (long Size, string Name)? Entry(string line)
    {
        var parts = line[1..].Split(' ', 3);
        if (parts.Length != 3 || parts[0].Length is < 1 or > 5 || !parts[0].All(c => c is >= '0' and <= '7')
            || !long.TryParse(parts[1], System.Globalization.NumberStyles.None, null, out var size)
            || parts[2] is "" or "." or ".." || parts[2].Contains('/'))
        {
            return null;
        }

        return (size, parts[2]);
    }

    private string PathOf(string name)
    {
        if (_directories.TryPeek(out var directory))
        {
            return Join(directory, name);
        }

        if (_upload)
        {
            // scp writes into the target when it is a directory, else to the target itself.
            return _targetIsDirectory ? Join(_target!, name) : _target!;
        }

        // The target's shell expanded the sources: the one the name came from, or the directory of a pattern.
        var source = _sources.FirstOrDefault(s => Path.GetFileName(s.TrimEnd('/')) == name)
                     ?? _sources.FirstOrDefault(s => s.IndexOfAny(['*', '?', '[']) >= 0)
                     ?? _sources[0];
        if (Path.GetFileName(source.TrimEnd('/')) == name)
        {
            return source.TrimEnd('/');
        }

        var slash = source.TrimEnd('/').LastIndexOf('/');
        return slash < 0 ? name : Join(source[..slash], name);
    }

    private static bool IsDirectoryByName(string path) =>
        path.EndsWith('/') || path is "." or ".." or "~" || path.EndsWith("/.") || path.EndsWith("/..");

    private static string Join(string directory, string name) => directory.EndsWith('/') ? directory + name : $"{directory}/{name}";
}

/// <summary>A transfer the gateway knows it cannot follow: it is refused before anything reaches the target.</summary>
public sealed class UnfollowableTransfer(string reason) : ITransferReader
{
    public string? Lost { get; } = reason;

    public IReadOnlyList<SftpRequest> FromClient(ReadOnlySpan<byte> data) => [];

    public IReadOnlyList<SftpRequest> FromTarget(ReadOnlySpan<byte> data) => [];
}
