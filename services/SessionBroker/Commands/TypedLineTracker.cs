using System.Text;

namespace Gatehouse.SessionBroker.Commands;

/// <summary>
/// Follows what a user types into an interactive shell (bash's readline, emacs mode) and reconstructs each line they
/// submit with Enter. It follows exactly: printable text, backspace, Ctrl-U, Ctrl-W, Ctrl-K, Ctrl-A/E/B/F, arrows
/// Left/Right, Home/End, Delete, Ctrl-L, Ctrl-C to abandon a line, Ctrl-D on an empty line, and bracketed paste of
/// printable text. Anything else (completion, history, search, yank, transpose, undo, meta keys, quoted insert, macros,
/// unknown escape sequences, control characters in a paste, a paste marker out of turn, a line beyond 64 KiB) changes
/// the line in a way only the shell knows. With <paramref name="refuseUnfollowed"/> (a session under a command policy)
/// such a key is not passed on and the line is refused (<see cref="LineCancelled"/>); otherwise the line is marked
/// uncertain, and Up/Down recall this session's earlier lines as the shell would.
/// A line is emptied on the target with <see cref="ClearLine"/>, never with an interrupt: bash keeps the keys it read
/// ahead across a Ctrl-C and runs them as the next line (a padded <c>a ...; rm -rf x</c> cut anywhere in the padding),
/// and a Ctrl-C before bash set up its terminal ends the shell. So under a policy the user's own Ctrl-C on a line being
/// typed clears it too; on an empty line it is passed on, to interrupt a program.
/// </summary>
public sealed class TypedLineTracker(bool refuseUnfollowed = false)
{
    public const int MaxLineLength = 64 * 1024;
    private const int MaxHistory = 1000;
    private const string PasteStart = "\x1b[200~";
    private const string PasteEnd = "\x1b[201~";

    /// <summary>
    /// Ctrl-E Ctrl-U: readline moves to the end of the line and deletes it, in order after any keys it read ahead; before
    /// readline runs, the terminal's line editing deletes the line on Ctrl-U (Ctrl-E is a character of it).
    /// </summary>
    public static byte[] ClearLine => [0x05, 0x15];

    private readonly StringBuilder _line = new();
    private readonly List<string> _history = [];
    private readonly StringBuilder _escape = new();
    private readonly Decoder _utf8 = new UTF8Encoding(false, throwOnInvalidBytes: true).GetDecoder();
    private readonly List<byte> _key = [];
    private readonly List<byte> _forward = [];
    private readonly char[] _chars = new char[2];
    private int _cursor;
    private int _historyIndex;
    private bool _uncertain;
    private bool _inEscape;
    private bool _inPaste;
    private bool _discardingPaste;

    /// <summary>Feeds bytes the user sent; returns what to do with them, in order.</summary>
    public IReadOnlyList<TypedStep> Feed(ReadOnlySpan<byte> input)
    {
        var steps = new List<TypedStep>();
        foreach (var b in input)
        {
            _key.Add(b);
            int count;
            try
            {
                count = _utf8.GetChars([b], _chars, flush: false);
            }
            catch (DecoderFallbackException)
            {
                _utf8.Reset();
                count = 0;
                Take(Unfollowed("a byte that is not UTF-8"), steps);
                continue;
            }

            for (var i = 0; i < count; i++)
            {
                Take(Accept(_chars[i]), steps);
            }
        }

        if (_forward.Count > 0)
        {
            steps.Add(new KeysTyped([.. _forward]));
            _forward.Clear();
        }

        return steps;
    }

    private abstract record Outcome;

    private sealed record Pending : Outcome;

    private sealed record Followed : Outcome;

    /// <summary>Followed, but the target is sent <see cref="Bytes"/> instead of the key.</summary>
    private sealed record Replaced(byte[] Bytes) : Outcome;

    private sealed record Dropped : Outcome;

    private sealed record Submitted(TypedLine? Line) : Outcome;

    private sealed record Refused(string Key) : Outcome;

    private static readonly Outcome Wait = new Pending();
    private static readonly Outcome Ok = new Followed();
    private static readonly Outcome Drop = new Dropped();

    private void Take(Outcome outcome, List<TypedStep> steps)
    {
        switch (outcome)
        {
            case Pending:
                return;
            case Followed:
                _forward.AddRange(_key);
                break;
            case Replaced replaced:
                _forward.AddRange(replaced.Bytes);
                break;
            case Submitted submitted:
                // A blank line too: its Enter ends what the gateway waits to see echoed.
                Flush(steps);
                steps.Add(new LineSubmitted(submitted.Line ?? new TypedLine("", false), [.. _key]));
                break;
            case Refused refused:
                Flush(steps);
                // A paste the target is reading takes every key as text until the paste ends: end it first.
                steps.Add(new LineCancelled(_line.ToString(), refused.Key,
                    _inPaste ? [.. Encoding.ASCII.GetBytes(PasteEnd), .. ClearLine] : ClearLine, DropsRestOfPaste: _inPaste));
                _discardingPaste = _inPaste;
                _inPaste = false;
                _inEscape = false;
                _escape.Clear();
                Reset();
                break;
        }

        _key.Clear();
    }

    private void Flush(List<TypedStep> steps)
    {
        if (_forward.Count > 0)
        {
            steps.Add(new KeysTyped([.. _forward]));
            _forward.Clear();
        }
    }

    /// <summary>A key the tracker cannot follow: refused, or followed with the line marked uncertain.</summary>
    private Outcome Unfollowed(string key)
    {
        if (refuseUnfollowed)
        {
            return new Refused(key);
        }

        _uncertain = true;
        return Ok;
    }

    private Outcome Accept(char c)
    {
        if (_discardingPaste)
        {
            // The rest of a refused paste, up to its end marker, never reaches the target; Ctrl-C stops waiting for it.
            return DiscardPaste(c);
        }

        if (_inEscape)
        {
            _escape.Append(c);
            if (!EscapeComplete())
            {
                return Wait;
            }

            _inEscape = false;
            var sequence = _escape.ToString();
            _escape.Clear();
            return ApplyEscape(sequence);
        }

        if (c == '\x1b')
        {
            _inEscape = true;
            _escape.Append(c);
            return Wait;
        }

        if (_inPaste)
        {
            if (!char.IsControl(c))
            {
                return Insert(c);
            }

            if (refuseUnfollowed)
            {
                // Whether the shell takes a pasted newline or control key as text or as a key depends on its
                // bracketed-paste setting, which the gateway does not know.
                return new Refused(c is '\r' or '\n' ? "a paste of several lines" : $"a paste holding {KeyName(c)}");
            }

            _uncertain |= c is not ('\r' or '\n' or '\t');
            return Insert(c == '\r' ? '\n' : c);
        }

        switch (c)
        {
            case '\r' or '\n':
                return new Submitted(Submit());
            case '\x7f' or '\b':
                if (_cursor > 0)
                {
                    _line.Remove(--_cursor, 1);
                }

                return Ok;
            case '\x03':
                var typing = _line.Length > 0;
                Reset();
                return refuseUnfollowed && typing ? new Replaced(ClearLine) : Ok;
            case '\x15':
                _line.Remove(0, _cursor);
                _cursor = 0;
                return Ok;
            case '\x17':
                DeleteWordBeforeCursor();
                return Ok;
            case '\x0b':
                _line.Length = _cursor;
                return Ok;
            case '\x01':
                _cursor = 0;
                return Ok;
            case '\x05':
                _cursor = _line.Length;
                return Ok;
            case '\x02':
                _cursor = Math.Max(0, _cursor - 1);
                return Ok;
            case '\x06':
                _cursor = Math.Min(_line.Length, _cursor + 1);
                return Ok;
            case '\x0c':
                return Ok;
            case '\x04' when _line.Length == 0:
                return Ok;
            default:
                return char.IsControl(c) ? Unfollowed(KeyName(c)) : Insert(c);
        }
    }

    private Outcome DiscardPaste(char c)
    {
        if (c == '\x03')
        {
            // Kept from the target: its line was already ended and emptied, and a Ctrl-C reaching the terminal while the
            // shell still reads the paste makes the terminal flush that emptying from its input queue, leaving the
            // refused text on the shell's line, out of the gateway's sight (seen with bash).
            _discardingPaste = false;
            _escape.Clear();
            _key.Clear();
            return Drop;
        }

        _escape.Append(c);
        if (!PasteEnd.StartsWith(_escape.ToString(), StringComparison.Ordinal))
        {
            _escape.Clear();
            if (c == '\x1b')
            {
                _escape.Append(c);
            }
        }
        else if (_escape.Length == PasteEnd.Length)
        {
            _escape.Clear();
            _discardingPaste = false;
        }

        _key.Clear();
        return Drop;
    }

    private static string KeyName(char c) => c switch
    {
        '\t' => "Tab (completion)",
        '\x12' or '\x13' => "reverse or forward search (Ctrl-R/Ctrl-S)",
        '\x10' or '\x0e' => "history (Ctrl-P/Ctrl-N)",
        '\x04' => "Ctrl-D within a line",
        < ' ' => $"Ctrl-{(char)(c + '@')}",
        _ => $"the control character U+{(int)c:X4}",
    };

    private bool EscapeComplete()
    {
        var sequence = _escape.ToString();
        if (sequence.Length == 2)
        {
            return sequence[1] is not ('[' or 'O');
        }

        // CSI and SS3 sequences end with a final byte in @..~; a control key or an absurd length ends one unknown.
        return sequence[^1] is >= '@' and <= '~' || char.IsControl(sequence[^1]) || sequence.Length > 16;
    }

    private Outcome ApplyEscape(string sequence)
    {
        if (_inPaste)
        {
            if (sequence == PasteEnd)
            {
                _inPaste = false;
                return Ok;
            }

            if (refuseUnfollowed)
            {
                return new Refused("an escape sequence in a paste");
            }

            _uncertain = true;
            foreach (var c in sequence)
            {
                Insert(c);
            }

            return Ok;
        }

        switch (sequence)
        {
            case PasteStart:
                _inPaste = true;
                return Ok;
            case PasteEnd:
                return Unfollowed("the end of a paste that never started");
            case "\x1b[D" or "\x1bOD":
                _cursor = Math.Max(0, _cursor - 1);
                return Ok;
            case "\x1b[C" or "\x1bOC":
                _cursor = Math.Min(_line.Length, _cursor + 1);
                return Ok;
            case "\x1b[H" or "\x1bOH" or "\x1b[1~":
                _cursor = 0;
                return Ok;
            case "\x1b[F" or "\x1bOF" or "\x1b[4~":
                _cursor = _line.Length;
                return Ok;
            case "\x1b[3~":
                if (_cursor < _line.Length)
                {
                    _line.Remove(_cursor, 1);
                }

                return Ok;
            case "\x1b[A" or "\x1bOA" when !refuseUnfollowed:
                Recall(-1);
                return Ok;
            case "\x1b[B" or "\x1bOB" when !refuseUnfollowed:
                Recall(+1);
                return Ok;
            case "\x1b[A" or "\x1bOA" or "\x1b[B" or "\x1bOB" or "\x1b[5~" or "\x1b[6~":
                return Unfollowed("history (Up/Down/PgUp/PgDn)");
            case [_, var key] when key is not ('[' or 'O'):
                return Unfollowed(char.IsControl(key) ? "Esc followed by a control key" : $"Esc-{key} (a meta key)");
            default:
                return Unfollowed($"the escape sequence ESC{sequence[1..]}");
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

    private Outcome Insert(char c)
    {
        if (_line.Length >= MaxLineLength)
        {
            return Unfollowed($"a line longer than {MaxLineLength / 1024} KiB");
        }

        _line.Insert(_cursor++, c);
        return Ok;
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
