using System.Text;

namespace Gatehouse.SessionBroker.Commands;

/// <summary>
/// Follows what a user types into an interactive shell and reconstructs each line they submit with Enter:
/// line editing (backspace, Ctrl-U, Ctrl-W, Ctrl-K, Ctrl-A/E, arrows, Home/End, Delete), Ctrl-C to abandon a line,
/// and bracketed paste. Up/Down recall this session's earlier lines as the shell would; what the shell's own
/// history, tab completion or reverse search would insert is unknown, so such lines are marked uncertain.
/// </summary>
public sealed class TypedLineTracker
{
    private const int MaxLineLength = 64 * 1024;
    private const int MaxHistory = 1000;

    private readonly StringBuilder _line = new();
    private readonly List<string> _history = [];
    private readonly StringBuilder _escape = new();
    private readonly Decoder _utf8 = new UTF8Encoding(false).GetDecoder();
    private int _cursor;
    private int _historyIndex;
    private bool _uncertain;
    private bool _inEscape;
    private bool _inPaste;

    /// <summary>Feeds bytes the user sent; returns the lines they completed in them.</summary>
    public IReadOnlyList<TypedLine> Feed(ReadOnlySpan<byte> input)
    {
        var lines = new List<TypedLine>();
        Span<char> chars = stackalloc char[Math.Max(1, input.Length)];
        var count = _utf8.GetChars(input, chars, flush: false);
        foreach (var c in chars[..count])
        {
            if (Accept(c) is { } line)
            {
                lines.Add(line);
            }
        }

        return lines;
    }

    private TypedLine? Accept(char c)
    {
        if (_inEscape)
        {
            _escape.Append(c);
            if (!EscapeComplete())
            {
                return null;
            }

            _inEscape = false;
            ApplyEscape(_escape.ToString());
            _escape.Clear();
            return null;
        }

        if (_inPaste)
        {
            if (c == '\x1b')
            {
                _inEscape = true;
                _escape.Append(c);
            }
            else
            {
                Insert(c == '\r' ? '\n' : c);
            }

            return null;
        }

        switch (c)
        {
            case '\r' or '\n':
                return Submit();
            case '\x1b':
                _inEscape = true;
                _escape.Append(c);
                break;
            case '\x7f' or '\b':
                if (_cursor > 0)
                {
                    _line.Remove(--_cursor, 1);
                }

                break;
            case '\x03':
                Reset();
                break;
            case '\x15':
                _line.Remove(0, _cursor);
                _cursor = 0;
                break;
            case '\x17':
                DeleteWordBeforeCursor();
                break;
            case '\x0b':
                _line.Length = _cursor;
                break;
            case '\x01':
                _cursor = 0;
                break;
            case '\x05':
                _cursor = _line.Length;
                break;
            case '\x02':
                _cursor = Math.Max(0, _cursor - 1);
                break;
            case '\x06':
                _cursor = Math.Min(_line.Length, _cursor + 1);
                break;
            case '\x04' when _line.Length == 0:
                break;
            case '\t' or '\x12' or '\x10' or '\x0e':
                // Completion, reverse search, previous/next history: the shell decides what they insert.
                _uncertain = true;
                break;
            default:
                if (!char.IsControl(c))
                {
                    Insert(c);
                }

                break;
        }

        return null;
    }

    private bool EscapeComplete()
    {
        var sequence = _escape.ToString();
        if (sequence.Length == 2)
        {
            return sequence[1] is not ('[' or 'O');
        }

        // CSI and SS3 sequences end with a final byte in @..~; give up on absurdly long ones.
        return sequence.Length > 1 && sequence[^1] is >= '@' and <= '~' || sequence.Length > 16;
    }

    private void ApplyEscape(string sequence)
    {
        switch (sequence)
        {
            case "\x1b[200~":
                _inPaste = true;
                break;
            case "\x1b[201~":
                _inPaste = false;
                break;
            case "\x1b[D" or "\x1bOD":
                _cursor = Math.Max(0, _cursor - 1);
                break;
            case "\x1b[C" or "\x1bOC":
                _cursor = Math.Min(_line.Length, _cursor + 1);
                break;
            case "\x1b[H" or "\x1bOH" or "\x1b[1~":
                _cursor = 0;
                break;
            case "\x1b[F" or "\x1bOF" or "\x1b[4~":
                _cursor = _line.Length;
                break;
            case "\x1b[3~":
                if (_cursor < _line.Length)
                {
                    _line.Remove(_cursor, 1);
                }

                break;
            case "\x1b[A" or "\x1bOA":
                Recall(-1);
                break;
            case "\x1b[B" or "\x1bOB":
                Recall(+1);
                break;
            default:
                if (_inPaste)
                {
                    Insert(sequence);
                }

                break;
        }
    }

    private void Recall(int direction)
    {
        var target = _historyIndex + direction;
        if (target < 0 || target > _history.Count)
        {
            // Beyond what this session typed: the shell's own history, which we cannot see.
            _uncertain = true;
            return;
        }

        _historyIndex = target;
        _line.Clear().Append(target == _history.Count ? "" : _history[target]);
        _cursor = _line.Length;
    }

    private void Insert(char c)
    {
        if (_line.Length < MaxLineLength)
        {
            _line.Insert(_cursor++, c);
        }
    }

    private void Insert(string text)
    {
        foreach (var c in text)
        {
            Insert(c);
        }
    }

    private void DeleteWordBeforeCursor()
    {
        var start = _cursor;
        while (start > 0 && char.IsWhiteSpace(_line[start - 1]))
        {
            start--;
        }

        while (start > 0 && !char.IsWhiteSpace(_line[start - 1]))
        {
            start--;
        }

        _line.Remove(start, _cursor - start);
        _cursor = start;
    }

    private TypedLine? Submit()
    {
        var text = _line.ToString();
        var uncertain = _uncertain;
        Reset();
        if (string.IsNullOrWhiteSpace(text) && !uncertain)
        {
            return null;
        }

        if (!string.IsNullOrWhiteSpace(text))
        {
            _history.Add(text);
            if (_history.Count > MaxHistory)
            {
                _history.RemoveAt(0);
            }
        }

        _historyIndex = _history.Count;
        return new TypedLine(text, uncertain);
    }

    private void Reset()
    {
        _line.Clear();
        _cursor = 0;
        _uncertain = false;
        _historyIndex = _history.Count;
    }
}
