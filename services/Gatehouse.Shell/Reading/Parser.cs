using System.Text;

namespace Gatehouse.Shell;

/// <summary>
/// A recursive-descent reader of one script (a line, or a script found inside one): separators and pipelines,
/// reserved words, subshells and groups, functions, arithmetic and conditional commands, words with every quoting
/// form, substitutions read in place, redirections and here-documents. Simple commands are collected as read and
/// resolved (wrappers, nested scripts) once the whole script is read, because a here-document body or a redirection
/// after a group can still change what a command reads.
/// </summary>
internal sealed partial class Parser
{
    private const int MaxDepth = 24;

    private readonly string _s;
    private readonly ReadingOutput _output;
    private readonly bool _nested;
    private readonly string _label;
    private readonly Stdin _stdin;
    private readonly List<RawCommand> _commands = [];
    private readonly List<PendingHeredoc> _heredocs = [];
    private readonly Stack<OpenConstruct> _open = new();
    private int _pos;
    private int _depth;
    private string _context;
    private string? _incomplete;
    private bool _aborted;

    private Parser(string script, string context, int depth, ReadingOutput output, bool nested, Stdin stdin)
    {
        _s = script;
        _context = context;
        _label = context;
        _depth = depth;
        _output = output;
        _nested = nested;
        _stdin = stdin;
    }

    private enum Stop
    {
        None,
        Paren,
        Case,
    }

    public static void ReadScript(string script, string context, int depth, ReadingOutput output, bool nested, Stdin stdin)
    {
        if (depth > MaxDepth)
        {
            output.Unknown("the line nests scripts too deeply to follow");
            return;
        }

        var parser = new Parser(script, context, depth, output, nested, stdin);
        parser.ParseList(Stop.None);
        parser.Finish();
    }

    private bool AtEnd => _pos >= _s.Length || _aborted;

    private char Peek(int offset = 0) => _pos + offset < _s.Length ? _s[_pos + offset] : '\0';

    private void Finish()
    {
        if (_open.Count > 0 && !_aborted)
        {
            SetIncomplete($"'{_open.Peek().Opener}' is not closed by '{_open.Peek().Closer}'");
        }

        if (_heredocs.Count > 0 && !_aborted)
        {
            SetIncomplete($"the here-document ending with '{_heredocs[0].Delimiter}' is still open");
        }

        if (_incomplete is not null)
        {
            if (_nested)
            {
                _output.Unknown($"the {_label} is incomplete: {_incomplete}");
            }
            else
            {
                _output.Open(_incomplete);
            }
        }

        foreach (var command in _commands)
        {
            Resolve(command);
        }
    }

    private void SetIncomplete(string reason) => _incomplete ??= reason;

    private void Syntax(string near)
    {
        _output.Unknown($"the shell would reject this line (syntax error near '{near}')");
    }

    private void Abort()
    {
        _output.Unknown("the line nests commands too deeply to follow");
        _aborted = true;
        _pos = _s.Length;
    }

    private void SkipBlanks()
    {
        while (!AtEnd)
        {
            var c = _s[_pos];
            if (c is ' ' or '\t' or '\r')
            {
                _pos++;
            }
            else if (c == '\\' && Peek(1) == '\n')
            {
                _pos += 2;
            }
            else
            {
                return;
            }
        }
    }

    private void SkipBlanksAndNewlines()
    {
        while (true)
        {
            SkipBlanks();
            if (AtEnd)
            {
                return;
            }

            if (_s[_pos] == '\n')
            {
                _pos++;
                ReadHeredocBodies();
            }
            else if (_s[_pos] == '#')
            {
                SkipComment();
            }
            else
            {
                return;
            }
        }
    }

    private void SkipComment()
    {
        var newline = _s.IndexOf('\n', _pos);
        _pos = newline < 0 ? _s.Length : newline;
    }

    private void ParseList(Stop stop)
    {
        Stdin? pipedInto = null;
        RawCommand? producer = null;
        var needsCommand = false;
        while (true)
        {
            SkipBlanks();
            if (AtEnd)
            {
                if (needsCommand)
                {
                    SetIncomplete("the line ends with an operator that needs a command after it");
                }

                return;
            }

            var c = _s[_pos];
            switch (c)
            {
                case '#':
                    SkipComment();
                    continue;
                case '\n':
                    _pos++;
                    ReadHeredocBodies();
                    continue;
                case ')':
                    if (stop == Stop.Paren)
                    {
                        return;
                    }

                    Syntax(")");
                    _pos++;
                    continue;
                case ';':
                    if (Peek(1) is ';' or '&')
                    {
                        if (stop == Stop.Case)
                        {
                            return;
                        }

                        Syntax(_s.Substring(_pos, 2));
                        _pos += 2;
                        continue;
                    }

                    _pos++;
                    pipedInto = null;
                    needsCommand = false;
                    continue;
                case '&' when Peek(1) == '&':
                    _pos += 2;
                    pipedInto = null;
                    needsCommand = true;
                    continue;
                case '&' when Peek(1) != '>':
                    _pos++;
                    pipedInto = null;
                    needsCommand = false;
                    continue;
                case '|' when Peek(1) == '|':
                    _pos += 2;
                    pipedInto = null;
                    needsCommand = true;
                    continue;
                case '|':
                    _pos += Peek(1) == '&' ? 2 : 1;
                    pipedInto = Stdin.Pipe(producer);
                    needsCommand = true;
                    continue;
            }

            needsCommand = false;
            if (ParseCommand(stop, pipedInto, out producer))
            {
                return;
            }

            pipedInto = null;
        }
    }

    /// <summary>Reads one command (or the reserved word that opens or closes one); true when a case item ends here.</summary>
    private bool ParseCommand(Stop stop, Stdin? pipedInto, out RawCommand? producer)
    {
        producer = null;
        var start = _commands.Count;
        if (_s[_pos] == '(')
        {
            if (Peek(1) == '(')
            {
                _pos += 2;
                ReadArithmetic();
                ParseRedirectionsAfterGroup(start, pipedInto);
                return false;
            }

            _pos++;
            EnterNested();
            ParseList(Stop.Paren);
            _depth--;
            if (AtEnd)
            {
                SetIncomplete("a '(' subshell is not closed");
                return false;
            }

            _pos++;
            ParseRedirectionsAfterGroup(start, pipedInto);
            return false;
        }

        var keyword = PeekReservedWord();
        switch (keyword)
        {
            case "esac" when stop == Stop.Case:
                return true;
            case "if" or "while" or "until" or "{":
                _pos += keyword.Length;
                _open.Push(new OpenConstruct(keyword, keyword switch { "if" => "fi", "{" => "}", _ => "done" }, start, pipedInto));
                return false;
            case "then" or "else" or "elif" or "do":
                _pos += keyword.Length;
                return false;
            case "fi" or "done" or "}":
                _pos += keyword.Length;
                if (_open.Count == 0 || _open.Peek().Closer != keyword)
                {
                    Syntax(keyword);
                    return false;
                }

                var construct = _open.Pop();
                ParseRedirectionsAfterGroup(construct.FirstCommand, construct.PipedInto);
                return false;
            case "!":
                _pos++;
                return false;
            case "time":
                _pos += 4;
                SkipBlanks();
                if (PeekReservedWord() is null && PeekPlainWord() == "-p")
                {
                    _pos += 2;
                }

                return false;
            case "coproc":
                _pos += 6;
                SkipBlanks();
                SkipCoprocName();
                return false;
            case "function":
                _pos += 8;
                SkipBlanks();
                ReadWord();
                SkipBlanks();
                SkipEmptyParens();
                return false;
            case "for" or "select":
                _pos += keyword.Length;
                ParseForHead();
                _open.Push(new OpenConstruct(keyword, "done", start, pipedInto));
                return false;
            case "case":
                _pos += 4;
                ParseCase();
                ParseRedirectionsAfterGroup(start, pipedInto);
                return false;
            case "[[":
                _pos += 2;
                ParseConditional();
                ParseRedirectionsAfterGroup(start, pipedInto);
                return false;
            case "esac" or "in" or "]]":
                _pos += keyword.Length;
                Syntax(keyword);
                return false;
        }

        producer = ParseSimpleCommand(pipedInto ?? _stdin);
        return false;
    }

    private void EnterNested()
    {
        if (++_depth > MaxDepth)
        {
            Abort();
        }
    }

    /// <summary>An unquoted reserved word at the current position, followed by a blank, an operator or the end.</summary>
    private string? PeekReservedWord()
    {
        var word = PeekPlainWord();
        return word is "if" or "then" or "elif" or "else" or "fi" or "do" or "done" or "while" or "until" or "for"
            or "select" or "case" or "esac" or "in" or "function" or "coproc" or "time" or "{" or "}" or "!" or "[["
            or "]]"
            ? word
            : null;
    }

    /// <summary>The run of ordinary characters at the current position, when it is a whole word; otherwise null.</summary>
    private string? PeekPlainWord()
    {
        var end = _pos;
        while (end < _s.Length && !IsWordEnd(_s[end]) && _s[end] is not ('\'' or '"' or '\\' or '$' or '`'))
        {
            end++;
        }

        if (end == _pos || (end < _s.Length && !IsWordEnd(_s[end])))
        {
            return null;
        }

        return _s[_pos..end];
    }

    private static bool IsWordEnd(char c) => c is ' ' or '\t' or '\r' or '\n' or ';' or '&' or '|' or '(' or ')' or '<' or '>';

    private void SkipCoprocName()
    {
        // "coproc NAME { ...; }" names the coprocess; "coproc cmd args" runs cmd.
        var name = PeekPlainWord();
        if (name is null || PeekReservedWord() is not null)
        {
            return;
        }

        var after = _pos + name.Length;
        while (after < _s.Length && _s[after] is ' ' or '\t')
        {
            after++;
        }

        if (after < _s.Length && (_s[after] == '(' || (_s[after] == '{' && after + 1 < _s.Length && _s[after + 1] is ' ' or '\t' or '\n')))
        {
            _pos = after;
        }
    }

    private bool SkipEmptyParens()
    {
        if (Peek() != '(')
        {
            return false;
        }

        var save = _pos;
        _pos++;
        SkipBlanks();
        if (Peek() == ')')
        {
            _pos++;
            return true;
        }

        _pos = save;
        return false;
    }

    private void ParseForHead()
    {
        SkipBlanks();
        if (Peek() == '(' && Peek(1) == '(')
        {
            _pos += 2;
            ReadArithmetic();
            return;
        }

        if (ReadWord() is null)
        {
            SetIncomplete("a 'for' loop lacks its variable");
            return;
        }

        SkipBlanksAndNewlines();
        if (PeekReservedWord() != "in")
        {
            return;
        }

        _pos += 2;
        while (true)
        {
            SkipBlanks();
            if (AtEnd || Peek() is ';' or '\n')
            {
                return;
            }

            if (ReadWord() is null)
            {
                Syntax(Peek().ToString());
                _pos++;
            }
        }
    }

    private void ParseCase()
    {
        SkipBlanks();
        if (ReadWord() is null)
        {
            SetIncomplete("a 'case' lacks its word");
            return;
        }

        SkipBlanksAndNewlines();
        if (AtEnd)
        {
            SetIncomplete("'case' is not closed by 'esac'");
            return;
        }

        if (PeekReservedWord() != "in")
        {
            Syntax(Peek().ToString());
            return;
        }

        _pos += 2;
        while (true)
        {
            SkipBlanksAndNewlines();
            if (AtEnd)
            {
                SetIncomplete("'case' is not closed by 'esac'");
                return;
            }

            if (PeekReservedWord() == "esac")
            {
                _pos += 4;
                return;
            }

            if (Peek() == '(')
            {
                _pos++;
            }

            while (true)
            {
                SkipBlanks();
                if (AtEnd)
                {
                    SetIncomplete("'case' is not closed by 'esac'");
                    return;
                }

                if (ReadWord() is null)
                {
                    Syntax(Peek().ToString());
                    _pos++;
                    return;
                }

                SkipBlanks();
                if (Peek() == '|')
                {
                    _pos++;
                }
                else if (Peek() == ')')
                {
                    _pos++;
                    break;
                }
                else if (!AtEnd)
                {
                    Syntax(Peek().ToString());
                    return;
                }
            }

            ParseList(Stop.Case);
            if (Peek() == ';')
            {
                _pos += Peek(1) == ';' && Peek(2) == '&' ? 3 : 2;
            }
        }
    }

    /// <summary><c>[[ ... ]]</c>: its words are operands, not commands, but their substitutions run.</summary>
    private void ParseConditional()
    {
        while (true)
        {
            SkipBlanks();
            if (AtEnd || Peek() == '\n')
            {
                SetIncomplete("'[[' is not closed by ']]'");
                return;
            }

            if (PeekPlainWord() == "]]")
            {
                _pos += 2;
                return;
            }

            var c = Peek();
            if (c is '(' or ')' or '<' or '>' or '!' or '&' or '|' && !(c is '<' or '>' && Peek(1) == '('))
            {
                _pos++;
                continue;
            }

            if (ReadWord() is not { } word)
            {
                _pos++;
            }
            else if (word.ToWord().Value is { } value && (value.Contains("$(") || value.Contains('`')))
            {
                _output.Unknown("[[ ]] may evaluate a quoted $( ) or backquote (as an array subscript) and run it");
            }
        }
    }

    /// <summary>Redirections after a group apply to every command in it that would otherwise read the terminal.</summary>
    private void ParseRedirectionsAfterGroup(int firstCommand, Stdin? pipedInto)
    {
        var group = new RawCommand(_context, pipedInto ?? _stdin);
        while (true)
        {
            SkipBlanks();
            if (AtEnd || !TryParseRedirection(group))
            {
                break;
            }
        }

        if (group.Stdin.Kind == StdinKind.Terminal)
        {
            return;
        }

        for (var i = firstCommand; i < _commands.Count; i++)
        {
            if (_commands[i].Stdin.Kind == StdinKind.Terminal)
            {
                _commands[i].Stdin = group.Stdin.Kind == StdinKind.Text ? group.Stdin : Stdin.Unknown;
            }
        }
    }

    private RawCommand ParseSimpleCommand(Stdin stdin)
    {
        var command = new RawCommand(_context, stdin);
        while (true)
        {
            SkipBlanks();
            if (AtEnd)
            {
                break;
            }

            var c = _s[_pos];
            if (c is '\n' or ';' or '|' or ')' || (c == '&' && Peek(1) != '>'))
            {
                break;
            }

            if (c == '#')
            {
                SkipComment();
                continue;
            }

            if (c == '(')
            {
                if (command.Words.Count == 1 && command.Assignments.Count == 0 && SkipEmptyParens())
                {
                    // "name () body": a function definition; its body is read as commands, as if it ran.
                    command.Words.Clear();
                    return command;
                }

                Syntax("(");
                _pos++;
                continue;
            }

            if (TryParseRedirection(command))
            {
                continue;
            }

            var word = ReadWord();
            if (word is null)
            {
                Syntax(c.ToString());
                _pos++;
                continue;
            }

            if (command.Words.Count == 0 && AssignmentName(word) is { } name)
            {
                command.Assignments.Add(name);
                command.AssignmentWords.Add(word.ToWord());
                continue;
            }

            command.Words.AddRange(BraceExpansion.Expand(word, _output));
        }

        _commands.Add(command);
        return command;
    }

    /// <summary>The variable a word assigns (<c>NAME=</c>, <c>NAME+=</c>, <c>NAME[i]=</c>), or null.</summary>
    private static string? AssignmentName(RawWord word)
    {
        var pieces = word.Pieces;
        var i = 0;
        while (i < pieces.Count && pieces[i].Kind == PieceKind.Plain && (char.IsAsciiLetterOrDigit(pieces[i].Char) || pieces[i].Char == '_'))
        {
            i++;
        }

        if (i == 0 || char.IsAsciiDigit(pieces[0].Char))
        {
            return null;
        }

        var name = string.Concat(pieces.Take(i).Select(p => p.Char));
        if (i < pieces.Count && pieces[i].Kind == PieceKind.Glob && pieces[i].Char == '[')
        {
            i++;
        }

        if (i < pieces.Count && pieces[i] is { Kind: PieceKind.Plain, Char: '+' })
        {
            i++;
        }

        return i < pieces.Count && pieces[i] is { Kind: PieceKind.Plain, Char: '=' } ? name : null;
    }

    private bool TryParseRedirection(RawCommand command)
    {
        var start = _pos;
        var fd = -1;
        var digits = _pos;
        while (digits < _s.Length && char.IsAsciiDigit(_s[digits]))
        {
            digits++;
        }

        if (digits > _pos && digits < _s.Length && _s[digits] is '<' or '>')
        {
            fd = int.TryParse(_s.AsSpan(_pos, Math.Min(digits - _pos, 6)), out var n) ? n : 99;
            _pos = digits;
        }
        else if (Peek() == '{')
        {
            // {name}> allocates a descriptor into the variable name.
            var close = _pos + 1;
            while (close < _s.Length && (char.IsAsciiLetterOrDigit(_s[close]) || _s[close] == '_'))
            {
                close++;
            }

            if (close > _pos + 1 && close + 1 < _s.Length && _s[close] == '}' && _s[close + 1] is '<' or '>')
            {
                fd = 99;
                _pos = close + 1;
            }
        }

        var op = ReadRedirectionOperator();
        if (op is null)
        {
            _pos = start;
            return false;
        }

        var operatorEnd = _pos;

        SkipBlanks();
        if (AtEnd || IsWordEnd(Peek()) && !(Peek() is '<' or '>' && Peek(1) == '('))
        {
            if (AtEnd)
            {
                Syntax("newline");
            }
            else
            {
                Syntax(Peek().ToString());
            }

            return true;
        }

        var target = ReadWord();
        if (target is null)
        {
            Syntax(op);
            return true;
        }

        command.Redirections.Add(new ShellRedirection(_s[start..operatorEnd], target.ToWord()));
        var readsStdin = fd is -1 or 0;
        switch (op)
        {
            case "<<" or "<<-":
                var heredoc = new PendingHeredoc(target.Unquoted, target.IsQuotedAnywhere || target.Typed.IndexOfAny(['\'', '"', '\\']) >= 0,
                    op == "<<-", readsStdin ? command : null);
                _heredocs.Add(heredoc);
                break;
            case "<<<" when readsStdin:
                var value = target.ToWord();
                command.Stdin = value.IsKnown ? Stdin.Text(value.Value + "\n") : Stdin.Unknown;
                break;
            case "<" or "<>" or "<&" when readsStdin:
                command.Stdin = Stdin.Unknown;
                break;
        }

        return true;
    }

    private string? ReadRedirectionOperator()
    {
        string[] operators = ["&>>", "&>", "<<<", "<<-", "<<", "<>", "<&", ">>", ">|", ">&", "<", ">"];
        foreach (var op in operators)
        {
            if (string.CompareOrdinal(_s, _pos, op, 0, op.Length) == 0)
            {
                if (op is "<" or ">" && Peek(1) == '(')
                {
                    return null;
                }

                _pos += op.Length;
                return op;
            }
        }

        return null;
    }

    private void ReadHeredocBodies()
    {
        while (_heredocs.Count > 0)
        {
            var heredoc = _heredocs[0];
            var body = new StringBuilder();
            var closed = false;
            while (_pos < _s.Length)
            {
                var newline = _s.IndexOf('\n', _pos);
                var end = newline < 0 ? _s.Length : newline;
                var line = _s[_pos..end];
                _pos = newline < 0 ? _s.Length : newline + 1;
                if (!_nested && HistoryTrigger().IsMatch(line))
                {
                    _output.Unknown("history expansion (!) in a here-document line replaces text from earlier commands");
                }

                var compared = heredoc.StripTabs ? line.TrimStart('\t') : line;
                if (compared == heredoc.Delimiter)
                {
                    closed = true;
                    break;
                }

                body.Append(heredoc.StripTabs ? line.TrimStart('\t') : line).Append('\n');
            }

            if (!closed)
            {
                return;
            }

            _heredocs.RemoveAt(0);
            var text = heredoc.Quoted ? body.ToString() : ExpandHeredocBody(body.ToString());
            if (heredoc.Owner is not null)
            {
                heredoc.Owner.Stdin = text is null ? Stdin.Unknown : Stdin.Text(text);
            }
        }
    }

    /// <summary>An unquoted here-document's body undergoes expansions (and its substitutions run): its text, or null.</summary>
    private string? ExpandHeredocBody(string body)
    {
        if (body.IndexOfAny(['$', '`', '\\']) < 0)
        {
            return body;
        }

        var parser = new Parser(body, Join("in a here-document", _context), _depth + 1, _output, nested: true, _stdin);
        var pieces = new List<Piece>();
        while (!parser.AtEnd)
        {
            var c = parser._s[parser._pos];
            if (c == '\\' && parser.Peek(1) is '$' or '`' or '\\' or '\n')
            {
                if (parser.Peek(1) != '\n')
                {
                    pieces.Add(Piece.Quoted(parser.Peek(1)));
                }

                parser._pos += 2;
            }
            else if (c == '$')
            {
                parser.ReadDollar(pieces, inDoubleQuotes: true);
            }
            else if (c == '`')
            {
                parser.ReadBacktick(pieces);
            }
            else
            {
                pieces.Add(Piece.Quoted(c));
                parser._pos++;
            }
        }

        parser.Finish();
        var word = Words.From(pieces.Count == 0 ? [Piece.Quoted(' ')] : pieces);
        return word.Value;
    }

    internal static string Join(string inner, string outer) => outer.Length == 0 ? inner : $"{inner}, {outer}";

    [System.Text.RegularExpressions.GeneratedRegex("![^ \t\r=(\"]")]
    private static partial System.Text.RegularExpressions.Regex HistoryTrigger();

    private sealed record OpenConstruct(string Opener, string Closer, int FirstCommand, Stdin? PipedInto);

    private sealed record PendingHeredoc(string Delimiter, bool Quoted, bool StripTabs, RawCommand? Owner);
}
