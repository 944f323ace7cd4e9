using System.Globalization;
using System.Text;

namespace Gatehouse.Shell;

internal sealed partial class Parser
{
    /// <summary>Reads one word (all quoting forms, expansions read in place); null when none starts here.</summary>
    private RawWord? ReadWord()
    {
        var start = _pos;
        var pieces = new List<Piece>();
        while (!AtEnd)
        {
            var c = _s[_pos];
            if (c is ' ' or '\t' or '\r' or '\n' or ';' or '&' or '|' or ')')
            {
                break;
            }

            if (c is '<' or '>')
            {
                if (Peek(1) != '(')
                {
                    break;
                }

                var substitution = _pos;
                _pos += 2;
                ReadNestedList("in process substitution", "a process substitution");
                // The shell passes a /dev/fd/N path: never an option.
                pieces.Add(new Piece(PieceKind.Expansion, '\0', TextFrom(substitution), DashSafe: true));
                continue;
            }

            if (c == '(')
            {
                if (pieces.Count > 0 && pieces[^1] is { Kind: PieceKind.Glob, Char: '*' or '?' or '+' or '@' } or { Kind: PieceKind.Plain, Char: '!' })
                {
                    ReadExtglobGroup(pieces);
                    continue;
                }

                if (pieces.Count > 1 && pieces[^1] is { Kind: PieceKind.Plain, Char: '=' } && AssignmentName(new RawWord(pieces, "")) is not null)
                {
                    Nested(() => ReadArrayValues(pieces));
                    continue;
                }

                break;
            }

            switch (c)
            {
                case '\\':
                    if (Peek(1) == '\n')
                    {
                        _pos += 2;
                    }
                    else if (_pos + 1 >= _s.Length)
                    {
                        SetIncomplete("the line ends with a backslash");
                        _pos++;
                    }
                    else
                    {
                        pieces.Add(Piece.Quoted(_s[_pos + 1]));
                        _pos += 2;
                    }

                    break;
                case '\'':
                    ReadSingleQuoted(pieces);
                    break;
                case '"':
                    ReadDoubleQuoted(pieces);
                    break;
                case '$':
                    ReadDollar(pieces, inDoubleQuotes: false);
                    break;
                case '`':
                    ReadBacktick(pieces);
                    break;
                case '~' when pieces.Count == 0 || (pieces[^1] is { Kind: PieceKind.Plain, Char: '=' or ':' } && AssignmentName(new RawWord(pieces, "")) is not null):
                    var tilde = _pos++;
                    while (!AtEnd && (char.IsAsciiLetterOrDigit(_s[_pos]) || _s[_pos] is '.' or '_' or '-' or '+'))
                    {
                        _pos++;
                    }

                    pieces.Add(new Piece(PieceKind.Expansion, '\0', TextFrom(tilde), DashSafe: true));
                    break;
                case '!':
                    CheckHistoryExpansion();
                    pieces.Add(Piece.Plain('!'));
                    _pos++;
                    break;
                case '*' or '?':
                    pieces.Add(new Piece(PieceKind.Glob, c));
                    _pos++;
                    break;
                case '[' when BracketCloses():
                    pieces.Add(new Piece(PieceKind.Glob, c));
                    _pos++;
                    break;
                case '+' or '@' when Peek(1) == '(':
                    pieces.Add(new Piece(PieceKind.Glob, c));
                    _pos++;
                    break;
                default:
                    pieces.Add(Piece.Plain(c));
                    _pos++;
                    break;
            }
        }

        return _pos <= start ? null : new RawWord(pieces, TextFrom(start));
    }

    /// <summary>The source text from <paramref name="start"/> to the current position (which a refused, too deep line leaves past the end).</summary>
    private string TextFrom(int start) => _s[Math.Min(start, _s.Length)..Math.Min(_pos, _s.Length)];

    /// <summary>Interactive bash expands <c>!</c> from history unless a blank, '=', '(' or the end follows it.</summary>
    private void CheckHistoryExpansion()
    {
        if (Peek(1) is not ('\0' or ' ' or '\t' or '\r' or '\n' or '=' or '(' or '"'))
        {
            var end = _pos + 1;
            while (end < _s.Length && !IsWordEnd(_s[end]) && end - _pos < 20)
            {
                end++;
            }

            _output.Unknown($"history expansion ({_s[_pos..end]}) replaces text from earlier commands");
        }
    }

    /// <summary>
    /// Whether a '[' starts a bracket expression: a ']' closes it within the word. Looked for within a bounded
    /// distance, so a line of brackets costs linear time; beyond it, the bracket counts as a glob (unknown).
    /// </summary>
    private bool BracketCloses()
    {
        for (var i = _pos + 1; i < _s.Length && !IsWordEnd(_s[i]); i++)
        {
            if (i - _pos > 256)
            {
                return true;
            }

            // A ']' right after the '[' is a member of the expression, not its end.
            if (_s[i] == ']' && i > _pos + 1)
            {
                return true;
            }
        }

        return false;
    }

    private void ReadExtglobGroup(List<Piece> pieces)
    {
        var depth = 0;
        while (!AtEnd)
        {
            var c = _s[_pos++];
            if (c == '\\')
            {
                _pos++;
            }
            else if (c == '(')
            {
                depth++;
            }
            else if (c == ')' && --depth == 0)
            {
                break;
            }
        }

        pieces.Add(new Piece(PieceKind.Glob, '('));
    }

    private void ReadArrayValues(List<Piece> pieces)
    {
        var start = _pos++;
        while (true)
        {
            SkipBlanksAndNewlines();
            if (AtEnd)
            {
                SetIncomplete("an array assignment is not closed by ')'");
                return;
            }

            if (Peek() == ')')
            {
                _pos++;
                break;
            }

            if (ReadWord() is null)
            {
                Syntax(Peek().ToString());
                _pos++;
            }
        }

        pieces.Add(new Piece(PieceKind.Expansion, '\0', TextFrom(start)));
    }

    private void ReadSingleQuoted(List<Piece> pieces)
    {
        var close = _s.IndexOf('\'', _pos + 1);
        if (close < 0)
        {
            SetIncomplete("a single quote is not closed");
            close = _s.Length;
        }

        for (var i = _pos + 1; i < close; i++)
        {
            pieces.Add(Piece.Quoted(_s[i]));
        }

        _pos = Math.Min(close + 1, _s.Length);
    }

    private void ReadDoubleQuoted(List<Piece> pieces)
    {
        _pos++;
        while (true)
        {
            if (AtEnd)
            {
                SetIncomplete("a double quote is not closed");
                return;
            }

            var c = _s[_pos];
            switch (c)
            {
                case '"':
                    _pos++;
                    return;
                case '\\' when Peek(1) is '$' or '`' or '"' or '\\':
                    pieces.Add(Piece.Quoted(Peek(1)));
                    _pos += 2;
                    break;
                case '\\' when Peek(1) == '\n':
                    _pos += 2;
                    break;
                case '$':
                    ReadDollar(pieces, inDoubleQuotes: true);
                    break;
                case '`':
                    ReadBacktick(pieces, inDoubleQuotes: true);
                    break;
                case '!':
                    CheckHistoryExpansion();
                    pieces.Add(Piece.Quoted(c));
                    _pos++;
                    break;
                default:
                    pieces.Add(Piece.Quoted(c));
                    _pos++;
                    break;
            }
        }
    }

    private void ReadDollar(List<Piece> pieces, bool inDoubleQuotes)
    {
        var start = _pos;
        var next = Peek(1);
        switch (next)
        {
            case '\'' when !inDoubleQuotes:
                _pos += 2;
                ReadAnsiC(pieces);
                return;
            case '"' when !inDoubleQuotes:
                // $"..." is a translated string: as a double-quoted one when no message catalogue is installed.
                _pos++;
                ReadDoubleQuoted(pieces);
                return;
            case '(' when Peek(2) == '(':
                _pos += 3;
                Nested(ReadArithmetic);
                break;
            case '(':
                _pos += 2;
                ReadNestedList("in command substitution", "a $( command substitution");
                break;
            case '{':
                _pos += 2;
                Nested(() => ReadParameterBody(inDoubleQuotes));
                break;
            case '[':
                _pos += 2;
                Nested(() => ReadUntilClose(']', "a $[ arithmetic expansion"));
                break;
            case var c when char.IsAsciiLetter(c) || c == '_':
                _pos++;
                while (!AtEnd && (char.IsAsciiLetterOrDigit(_s[_pos]) || _s[_pos] == '_'))
                {
                    _pos++;
                }

                break;
            case var c when char.IsAsciiDigit(c) || c is '@' or '*' or '#' or '?' or '-' or '$' or '!':
                _pos += 2;
                break;
            default:
                pieces.Add(inDoubleQuotes ? Piece.Quoted('$') : Piece.Plain('$'));
                _pos++;
                return;
        }

        pieces.Add(new Piece(PieceKind.Expansion, '\0', TextFrom(start)));
    }

    /// <summary>Reads a construct that can nest, within the depth bound (a deeper line is refused, not followed).</summary>
    private void Nested(Action read)
    {
        EnterNested();
        read();
        _depth--;
    }

    private void ReadNestedList(string context, string what)
    {
        EnterNested();
        var outer = _context;
        _context = Join(context, outer);
        ParseList(Stop.Paren);
        _context = outer;
        _depth--;
        if (AtEnd)
        {
            SetIncomplete($"{what} is not closed by ')'");
            return;
        }

        _pos++;
    }

    /// <summary><c>${...}</c>: its operands can hold quotes and substitutions of their own, which run.</summary>
    private void ReadParameterBody(bool inDoubleQuotes)
    {
        var name = _pos;
        while (name < _s.Length && (char.IsAsciiLetterOrDigit(_s[name]) || _s[name] == '_'))
        {
            name++;
        }

        // ${NAME=value} and ${NAME:=value} assign: to PROMPT_COMMAND or PATH as much as NAME=value does.
        if ((name < _s.Length && _s[name] == '=') || (name + 1 < _s.Length && _s[name] == ':' && _s[name + 1] == '='))
        {
            if (Invocations.AssignmentRisk(_s[_pos..name]) is { } risk)
            {
                _output.Unknown(risk);
            }
        }

        var depth = 1;
        var scratch = new List<Piece>();
        while (true)
        {
            if (AtEnd)
            {
                SetIncomplete("a ${ parameter expansion is not closed by '}'");
                return;
            }

            var c = _s[_pos];
            switch (c)
            {
                case '\\':
                    _pos += 2;
                    break;
                case '\'' when inDoubleQuotes:
                    // Shells and their versions disagree on whether this quotes ("${x:-'}"): refuse rather than pick one.
                    _output.Unknown("a single quote inside a double-quoted ${...} is read differently by different shells");
                    _pos++;
                    break;
                case '\'':
                    ReadSingleQuoted(scratch);
                    break;
                case '"':
                    ReadDoubleQuoted(scratch);
                    break;
                case '$':
                    ReadDollar(scratch, inDoubleQuotes: true);
                    break;
                case '`':
                    ReadBacktick(scratch, inDoubleQuotes);
                    break;
                case '{':
                    depth++;
                    _pos++;
                    break;
                case '}':
                    _pos++;
                    if (--depth == 0)
                    {
                        if (_s[_pos - 2] == 'P' && _s[_pos - 3] == '@')
                        {
                            _output.Unknown("${...@P} expands a variable as a prompt, which can run the commands in its value");
                        }

                        return;
                    }

                    break;
                default:
                    _pos++;
                    break;
            }
        }
    }

    /// <summary>
    /// Reads an arithmetic expression after <c>((</c> or <c>$((</c> up to its closing <c>))</c>. Its substitutions run;
    /// a quoted substitution can be run by bash's evaluation of an array subscript, so it is unknowable.
    /// </summary>
    private void ReadArithmetic()
    {
        var depth = 0;
        var scratch = new List<Piece>();
        while (true)
        {
            if (AtEnd)
            {
                SetIncomplete("an arithmetic expression is not closed by '))'");
                return;
            }

            var c = _s[_pos];
            switch (c)
            {
                case '(':
                    depth++;
                    _pos++;
                    break;
                case ')' when depth > 0:
                    depth--;
                    _pos++;
                    break;
                case ')' when Peek(1) == ')':
                    _pos += 2;
                    return;
                case ')':
                    Syntax(")");
                    _pos++;
                    return;
                case '$':
                    ReadDollar(scratch, inDoubleQuotes: true);
                    break;
                case '`':
                    ReadBacktick(scratch);
                    break;
                case '\'' or '"':
                    var quoted = new List<Piece>();
                    if (c == '\'')
                    {
                        ReadSingleQuoted(quoted);
                    }
                    else
                    {
                        ReadDoubleQuoted(quoted);
                    }

                    if (quoted.Any(p => p.Kind == PieceKind.Expansion || p.Char is '`' or '$'))
                    {
                        _output.Unknown("an arithmetic expression holds quoted text that bash may run as a substitution");
                    }

                    break;
                default:
                    _pos++;
                    break;
            }
        }
    }

    private void ReadUntilClose(char close, string what)
    {
        var scratch = new List<Piece>();
        while (true)
        {
            if (AtEnd)
            {
                SetIncomplete($"{what} is not closed by '{close}'");
                return;
            }

            var c = _s[_pos];
            if (c == close)
            {
                _pos++;
                return;
            }

            if (c == '$')
            {
                ReadDollar(scratch, inDoubleQuotes: true);
            }
            else if (c == '`')
            {
                ReadBacktick(scratch);
            }
            else
            {
                _pos++;
            }
        }
    }

    /// <summary>A backquoted substitution: the text up to the closing backquote, unescaped, is a script of its own.</summary>
    private void ReadBacktick(List<Piece> pieces, bool inDoubleQuotes = false)
    {
        var start = _pos++;
        var inner = new StringBuilder();
        while (true)
        {
            if (AtEnd)
            {
                SetIncomplete("a backquote is not closed");
                return;
            }

            var c = _s[_pos];
            if (c == '`')
            {
                _pos++;
                break;
            }

            if (c == '\\' && (Peek(1) is '$' or '`' or '\\' || (inDoubleQuotes && Peek(1) == '"')))
            {
                inner.Append(Peek(1));
                _pos += 2;
                continue;
            }

            inner.Append(c);
            _pos++;
        }

        if (_depth + 1 > MaxDepth)
        {
            Abort();
            return;
        }

        ReadScript(inner.ToString(), Join("in command substitution", _context), _depth + 1, _output, nested: true, _stdin);
        pieces.Add(new Piece(PieceKind.Expansion, '\0', TextFrom(start)));
    }

    /// <summary><c>$'...'</c>: backslash escapes decoded as bash does.</summary>
    private void ReadAnsiC(List<Piece> pieces)
    {
        while (true)
        {
            if (AtEnd)
            {
                SetIncomplete("a $' quote is not closed");
                return;
            }

            var c = _s[_pos++];
            if (c == '\'')
            {
                return;
            }

            if (c != '\\' || AtEnd)
            {
                pieces.Add(Piece.Quoted(c));
                continue;
            }

            var e = _s[_pos++];
            switch (e)
            {
                case 'a': pieces.Add(Piece.Quoted('\a')); break;
                case 'b': pieces.Add(Piece.Quoted('\b')); break;
                case 'e' or 'E': pieces.Add(Piece.Quoted('\u001b')); break;
                case 'f': pieces.Add(Piece.Quoted('\f')); break;
                case 'n': pieces.Add(Piece.Quoted('\n')); break;
                case 'r': pieces.Add(Piece.Quoted('\r')); break;
                case 't': pieces.Add(Piece.Quoted('\t')); break;
                case 'v': pieces.Add(Piece.Quoted('\v')); break;
                case 'c' when !AtEnd:
                    pieces.Add(Piece.Quoted((char)(_s[_pos++] & 0x1f)));
                    break;
                case >= '0' and <= '7':
                    pieces.Add(Piece.Quoted((char)ReadNumber(e.ToString(), 8, 3, "01234567")));
                    break;
                case 'x':
                    AddCodePoint(pieces, ReadNumber("", 16, 2, "0123456789abcdefABCDEF"));
                    break;
                case 'u':
                    AddCodePoint(pieces, ReadNumber("", 16, 4, "0123456789abcdefABCDEF"));
                    break;
                case 'U':
                    AddCodePoint(pieces, ReadNumber("", 16, 8, "0123456789abcdefABCDEF"));
                    break;
                default:
                    // \\ \' \" \? stand for themselves; an unknown escape keeps its backslash.
                    if (e is not ('\\' or '\'' or '"' or '?'))
                    {
                        pieces.Add(Piece.Quoted('\\'));
                    }

                    pieces.Add(Piece.Quoted(e));
                    break;
            }
        }
    }

    private int ReadNumber(string first, int radix, int maxDigits, string digits)
    {
        var text = new StringBuilder(first);
        while (text.Length < maxDigits && !AtEnd && digits.Contains(_s[_pos]))
        {
            text.Append(_s[_pos++]);
        }

        if (text.Length == 0)
        {
            return -1;
        }

        return radix == 8
            ? Convert.ToInt32(text.ToString(), 8)
            : int.Parse(text.ToString(), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
    }

    private static void AddCodePoint(List<Piece> pieces, int codePoint)
    {
        if (codePoint < 0 || codePoint > 0x10FFFF || codePoint is >= 0xD800 and <= 0xDFFF)
        {
            return;
        }

        foreach (var c in char.ConvertFromUtf32(codePoint))
        {
            pieces.Add(Piece.Quoted(c));
        }
    }
}
