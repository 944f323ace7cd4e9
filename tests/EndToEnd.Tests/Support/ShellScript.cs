using System.Text;
using System.Text.RegularExpressions;

namespace Gatehouse.EndToEnd.Tests.Support;

/// <summary>
/// The programs a bash script runs, read well enough for the deploy scripts: the first word of every simple command
/// (after assignments and wrappers such as <c>exec</c>, <c>timeout 30</c>, <c>su postgres -c "..."</c>), inside
/// <c>$( )</c> and backticks too, plus every absolute program path the script names (a config line such as
/// <c>Subsystem sftp /usr/lib/openssh/sftp-server</c> needs its package as much as a call does). Heredoc bodies,
/// quoted data (awk programs, SQL), case patterns, functions the script defines and words built from variables are
/// not programs.
/// </summary>
public static partial class ShellScript
{
    private static readonly HashSet<string> Keywords =
        ["if", "then", "else", "elif", "fi", "do", "done", "while", "until", "for", "in", "case", "esac", "function", "time", "!", "{", "}", "[[", "]]", "select"];

    private static readonly HashSet<string> Wrappers = ["exec", "command", "sudo", "nohup", "env", "xargs", "timeout"];

    public static IReadOnlySet<string> ProgramsCalled(string script)
    {
        var programs = new HashSet<string>(StringComparer.Ordinal);
        var text = WithoutHeredocBodies(script);
        Collect(text, programs);
        programs.ExceptWith(FunctionDefinition().Matches(text).Select(m => m.Groups[1].Value));
        foreach (Match path in ProgramPath().Matches(script))
        {
            programs.Add(path.Value);
        }

        return programs;
    }

    private static void Collect(string text, HashSet<string> programs)
    {
        var segment = new List<string>();
        foreach (var token in Tokens(text, programs))
        {
            if (token is ";" or "|" or "||" or "&&" or "&" or "\n" or "(" or ")" or ";;")
            {
                // "pattern)" closing a case pattern: the words before it are not a command.
                if (token != ")" || segment.Count == 0 || segment.Any(w => w == "("))
                {
                    Command(segment, programs);
                }

                segment.Clear();
                continue;
            }

            segment.Add(token);
        }

        Command(segment, programs);
    }

    private static void Command(List<string> words, HashSet<string> programs)
    {
        var i = 0;
        while (i < words.Count)
        {
            var word = words[i];
            if (word is "case" or "for" or "select" or "[[")
            {
                return;
            }

            if (Keywords.Contains(word) || Assignment().IsMatch(word) || word.StartsWith('>') || word.StartsWith('<') || Redirect().IsMatch(word))
            {
                i++;
                continue;
            }

            // Words built from variables are not known here; ./deploy/... are the repository's own scripts.
            if (word.Contains('$') || word.Length == 0 || word.StartsWith("./", StringComparison.Ordinal))
            {
                return;
            }

            programs.Add(word);
            if (word == "timeout")
            {
                i += 2;
                continue;
            }

            if (Wrappers.Contains(word))
            {
                i++;
                continue;
            }

            // su USER -c "script", bash -c "script": the script is made of commands too.
            if (word is "su" or "bash" or "sh")
            {
                var script = words.IndexOf("-c", i);
                if (script > 0 && script + 1 < words.Count)
                {
                    Collect(words[script + 1], programs);
                }
            }

            return;
        }
    }

    /// <summary>Words (quotes removed) and operators; command substitutions are collected on the way.</summary>
    private static IEnumerable<string> Tokens(string text, HashSet<string> programs)
    {
        var word = new StringBuilder();
        var inWord = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\\' && i + 1 < text.Length)
            {
                if (text[i + 1] != '\n')
                {
                    word.Append(text[i + 1]);
                    inWord = true;
                }

                i++;
            }
            else if (c == '\'')
            {
                var end = text.IndexOf('\'', i + 1);
                word.Append(text, i + 1, end - i - 1);
                inWord = true;
                i = end;
            }
            else if (c == '"')
            {
                i = DoubleQuoted(text, i + 1, word, programs);
                inWord = true;
            }
            else if (c == '$' && i + 1 < text.Length && text[i + 1] == '(')
            {
                var end = Closing(text, i + 1);
                if (!(i + 2 < text.Length && text[i + 2] == '('))
                {
                    Collect(text[(i + 2)..end], programs);
                }

                word.Append("$subst");
                inWord = true;
                i = end;
            }
            else if (c == '`')
            {
                var end = text.IndexOf('`', i + 1);
                Collect(text[(i + 1)..end], programs);
                word.Append("$subst");
                inWord = true;
                i = end;
            }
            else if (c == '(' && word.Length > 0 && word[^1] == '=')
            {
                // An array assignment, name=( ... ): data, not a subshell.
                var end = Closing(text, i);
                word.Append(text, i, end - i + 1);
                i = end;
            }
            else if (c == '#' && !inWord)
            {
                while (i + 1 < text.Length && text[i + 1] != '\n')
                {
                    i++;
                }
            }
            else if (c is ' ' or '\t' or '\n' or ';' or '|' or '(' or ')' || (c == '&' && !(word.Length > 0 && word[^1] is '>' or '<')))
            {
                if (inWord)
                {
                    yield return word.ToString();
                    word.Clear();
                    inWord = false;
                }

                if (c is ' ' or '\t')
                {
                    continue;
                }

                var op = c.ToString();
                if (c is ';' or '|' or '&' && i + 1 < text.Length && text[i + 1] == c)
                {
                    op += c;
                    i++;
                }

                yield return op;
            }
            else
            {
                word.Append(c);
                inWord = true;
            }
        }

        if (inWord)
        {
            yield return word.ToString();
        }
    }

    /// <summary>Reads a double-quoted string from <paramref name="start"/>; returns the index of its closing quote.</summary>
    private static int DoubleQuoted(string text, int start, StringBuilder word, HashSet<string> programs)
    {
        for (var i = start; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\\' && i + 1 < text.Length)
            {
                word.Append(text[++i]);
            }
            else if (c == '"')
            {
                return i;
            }
            else if (c == '$' && i + 1 < text.Length && text[i + 1] == '(')
            {
                var end = Closing(text, i + 1);
                if (!(i + 2 < text.Length && text[i + 2] == '('))
                {
                    Collect(text[(i + 2)..end], programs);
                }

                word.Append("$subst");
                i = end;
            }
            else
            {
                word.Append(c);
            }
        }

        throw new FormatException("unterminated double quote");
    }

    /// <summary>The index of the parenthesis closing the one at <paramref name="open"/>, skipping quoted text.</summary>
    private static int Closing(string text, int open)
    {
        var depth = 0;
        for (var i = open; i < text.Length; i++)
        {
            switch (text[i])
            {
                case '\\':
                    i++;
                    break;
                case '\'':
                    i = text.IndexOf('\'', i + 1);
                    break;
                case '"':
                    i = DoubleQuoted(text, i + 1, new StringBuilder(), []);
                    break;
                case '(':
                    depth++;
                    break;
                case ')' when --depth == 0:
                    return i;
            }
        }

        throw new FormatException("unterminated $(");
    }

    private static string WithoutHeredocBodies(string script)
    {
        var kept = new StringBuilder();
        string? terminator = null;
        foreach (var line in script.Split('\n'))
        {
            if (terminator is not null)
            {
                if (line.Trim() == terminator)
                {
                    terminator = null;
                }

                continue;
            }

            var heredoc = Heredoc().Match(line);
            if (heredoc.Success)
            {
                terminator = heredoc.Groups[1].Value;
                kept.Append(line.Remove(heredoc.Index, heredoc.Length)).Append('\n');
                continue;
            }

            kept.Append(line).Append('\n');
        }

        return kept.ToString();
    }

    [GeneratedRegex(@"<<-?\s*['""]?([A-Za-z_]+)['""]?")]
    private static partial Regex Heredoc();

    [GeneratedRegex(@"^\s*([A-Za-z_][A-Za-z0-9_-]*)\s*\(\)\s*\{", RegexOptions.Multiline)]
    private static partial Regex FunctionDefinition();

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_]*(\[[^\]]*\])?\+?=")]
    private static partial Regex Assignment();

    [GeneratedRegex(@"^[0-9]*[<>]")]
    private static partial Regex Redirect();

    [GeneratedRegex(@"(?<![\w./$-])/(usr/)?(s?bin|lib/openssh)/[A-Za-z0-9_.+-]+")]
    private static partial Regex ProgramPath();
}
