using System.Text;

namespace Gatehouse.SessionBroker.Commands;

/// <summary>
/// Splits a POSIX shell command line into every simple command it would run, so a policy can be applied to each:
/// commands separated by <c>; &amp; &amp;&amp; || |</c> and newlines, inside <c>( )</c> and <c>{ }</c> groups,
/// inside <c>$( )</c> and backtick substitutions (also within double quotes), and the script given to
/// <c>sh -c</c>, <c>bash -c</c> or <c>eval</c>. It does not expand variables, aliases or functions: see the README
/// for what that means for enforcement.
/// </summary>
public static class ShellCommandSplitter
{
    private const int MaxDepth = 16;
    private static readonly HashSet<string> Shells = ["sh", "bash", "dash", "zsh", "ksh", "ash", "busybox"];

    public static IReadOnlyList<SimpleCommand> Split(string line)
    {
        var commands = new List<SimpleCommand>();
        SplitInto(line, commands, depth: 0);
        return commands;
    }

    private static void SplitInto(string script, List<SimpleCommand> commands, int depth)
    {
        if (depth > MaxDepth)
        {
            // Deeper nesting than any real command: refuse to reason about it rather than miss something.
            commands.Add(new SimpleCommand(script, [script]));
            return;
        }

        var parser = new Parser(script, commands, depth);
        parser.Run();
    }

    private static void AddCommand(string text, List<string> words, List<SimpleCommand> commands, int depth)
    {
        if (words.Count == 0)
        {
            return;
        }

        commands.Add(new SimpleCommand(text.Trim(), words.ToArray()));

        // The script handed to a shell or to eval is itself commands.
        var name = Path.GetFileName(words[0]);
        if (name == "eval" && words.Count > 1)
        {
            SplitInto(string.Join(' ', words.Skip(1)), commands, depth + 1);
        }
        else if (Shells.Contains(name))
        {
            var script = words.SkipWhile(w => w != "-c" && !(w.StartsWith('-') && !w.StartsWith("--") && w.Contains('c')))
                .Skip(1).FirstOrDefault();
            if (script is not null)
            {
                SplitInto(script, commands, depth + 1);
            }
        }
    }

    private sealed class Parser(string script, List<SimpleCommand> commands, int depth)
    {
        private readonly StringBuilder _word = new();
        private readonly List<string> _words = [];
        private int _position;
        private int _commandStart;
        private bool _inWord;

        public void Run()
        {
            while (_position < script.Length)
            {
                var c = script[_position];
                switch (c)
                {
                    case '\\':
                        _inWord = true;
                        if (_position + 1 < script.Length && script[_position + 1] != '\n')
                        {
                            _word.Append(script[_position + 1]);
                        }

                        _position += 2;
                        break;
                    case '\'':
                        _inWord = true;
                        var close = script.IndexOf('\'', _position + 1);
                        var end = close < 0 ? script.Length : close;
                        _word.Append(script, _position + 1, end - _position - 1);
                        _position = end + 1;
                        break;
                    case '"':
                        _inWord = true;
                        ReadDoubleQuoted();
                        break;
                    case '`':
                        _inWord = true;
                        _word.Append(ReadSubstitution(Backtick));
                        break;
                    case '$' when Peek(1) == '(' && Peek(2) != '(':
                        _inWord = true;
                        _word.Append(ReadSubstitution(DollarParen));
                        break;
                    case '$' when Peek(1) == '(':
                        // Arithmetic $(( )) runs no command; keep it as part of the word.
                        _inWord = true;
                        var arithmeticEnd = Math.Min(MatchingParen(_position + 2) + 1, script.Length);
                        _word.Append(script, _position, arithmeticEnd - _position);
                        _position = arithmeticEnd;
                        break;
                    case '&' when Peek(-1) is '>' or '<' || Peek(1) == '>':
                        // Part of a redirection (2>&1, &>file), not a separator.
                        _inWord = true;
                        _word.Append(c);
                        _position++;
                        break;
                    case ';' or '&' or '|' or '\n':
                        EndCommand();
                        _position++;
                        _commandStart = _position;
                        break;
                    case '(' or '{' when !_inWord && _words.Count == 0:
                        _position++;
                        _commandStart = _position;
                        break;
                    case ')':
                    case '}' when !_inWord:
                        EndCommand();
                        _position++;
                        _commandStart = _position;
                        break;
                    case '#' when !_inWord:
                        EndCommand();
                        var newline = script.IndexOf('\n', _position);
                        _position = newline < 0 ? script.Length : newline;
                        _commandStart = _position;
                        break;
                    case ' ' or '\t' or '\r':
                        EndWord();
                        _position++;
                        break;
                    default:
                        _inWord = true;
                        _word.Append(c);
                        _position++;
                        break;
                }
            }

            EndCommand();
        }

        private char Peek(int offset) =>
            _position + offset >= 0 && _position + offset < script.Length ? script[_position + offset] : '\0';

        private void ReadDoubleQuoted()
        {
            _position++;
            while (_position < script.Length && script[_position] != '"')
            {
                var c = script[_position];
                if (c == '\\' && _position + 1 < script.Length && "$`\"\\\n".Contains(script[_position + 1]))
                {
                    _word.Append(script[_position + 1]);
                    _position += 2;
                }
                else if (c == '`')
                {
                    _word.Append(ReadSubstitution(Backtick));
                }
                else if (c == '$' && Peek(1) == '(' && Peek(2) != '(')
                {
                    _word.Append(ReadSubstitution(DollarParen));
                }
                else
                {
                    _word.Append(c);
                    _position++;
                }
            }

            _position++;
        }

        private const int Backtick = 0;
        private const int DollarParen = 1;

        /// <summary>Reads a substitution, splits its inner script as commands of their own, and returns its text.</summary>
        private string ReadSubstitution(int kind)
        {
            var start = _position;
            int innerStart, innerEnd;
            if (kind == Backtick)
            {
                innerStart = _position + 1;
                var close = innerStart;
                while (close < script.Length && script[close] != '`')
                {
                    close += script[close] == '\\' ? 2 : 1;
                }

                innerEnd = Math.Min(close, script.Length);
                _position = Math.Min(close + 1, script.Length);
            }
            else
            {
                innerStart = _position + 2;
                innerEnd = MatchingParen(innerStart);
                _position = Math.Min(innerEnd + 1, script.Length);
            }

            SplitInto(script[innerStart..innerEnd], commands, depth + 1);
            return script[start.._position];
        }

        private int MatchingParen(int from)
        {
            var open = 1;
            for (var i = from; i < script.Length; i++)
            {
                switch (script[i])
                {
                    case '\\':
                        i++;
                        break;
                    case '\'':
                        var close = script.IndexOf('\'', i + 1);
                        i = close < 0 ? script.Length : close;
                        break;
                    case '(':
                        open++;
                        break;
                    case ')' when --open == 0:
                        return i;
                }
            }

            return script.Length;
        }

        private void EndWord()
        {
            if (_inWord)
            {
                _words.Add(_word.ToString());
                _word.Clear();
                _inWord = false;
            }
        }

        private void EndCommand()
        {
            EndWord();
            var end = Math.Min(_position, script.Length);
            AddCommand(_commandStart < end ? script[_commandStart..end] : "", _words, commands, depth);
            _words.Clear();
        }
    }
}
