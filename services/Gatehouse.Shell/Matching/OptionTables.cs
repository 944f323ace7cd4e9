namespace Gatehouse.Shell;

/// <summary>
/// The option spellings of well-known programs, so a rule written one way matches the others: each option maps to
/// one canonical name (<c>rm -R</c>, <c>rm --recursive</c> and <c>rm -r</c> are all <c>-r</c>). Programs not listed
/// follow the getopt convention: <c>-abc</c> is <c>-a -b -c</c> and long options stand for themselves.
/// </summary>
internal static class OptionTables
{
    /// <param name="StopsAtOperand">Options end at the first operand, as for programs that run another (<c>sudo ls -i</c>:
    /// <c>-i</c> is ls's).</param>
    private sealed record Table(Dictionary<string, string> Aliases, string ShortWithArgument, HashSet<string> LongWithArgument,
        bool StopsAtOperand = false);

    private static readonly Table Rm = new(new()
    {
        ["-R"] = "-r", ["--recursive"] = "-r", ["--force"] = "-f", ["--dir"] = "-d", ["--interactive"] = "-i", ["--verbose"] = "-v",
    }, "", []);

    private static readonly Table CopyOrMove = new(new()
    {
        ["-R"] = "-r", ["--recursive"] = "-r", ["--force"] = "-f", ["--archive"] = "-a", ["--no-clobber"] = "-n",
        ["--target-directory"] = "-t", ["--backup"] = "-b", ["--update"] = "-u",
    }, "St", ["--target-directory", "--suffix"]);

    private static readonly Table Ownership = new(new()
    {
        ["--recursive"] = "-R", ["--changes"] = "-c", ["--silent"] = "-f", ["--quiet"] = "-f", ["--verbose"] = "-v",
        ["--no-dereference"] = "-h",
    }, "", ["--reference", "--from"]);

    private static readonly Table Shred = new(new()
    {
        ["--remove"] = "-u", ["--zero"] = "-z", ["--force"] = "-f", ["--iterations"] = "-n", ["--size"] = "-s",
    }, "ns", ["--iterations", "--size", "--random-source"]);

    private static readonly Table Ln = new(new()
    {
        ["--symbolic"] = "-s", ["--force"] = "-f", ["--no-dereference"] = "-n", ["--target-directory"] = "-t",
    }, "St", ["--target-directory", "--suffix"]);

    private static readonly Table Sudo = new(new()
    {
        ["--login"] = "-i", ["--shell"] = "-s", ["--user"] = "-u", ["--group"] = "-g", ["--list"] = "-l", ["--edit"] = "-e",
        ["--preserve-env"] = "-E", ["--non-interactive"] = "-n", ["--chdir"] = "-D", ["--host"] = "-h", ["--prompt"] = "-p",
        ["--close-from"] = "-C", ["--role"] = "-r", ["--type"] = "-t", ["--other-user"] = "-U", ["--command-timeout"] = "-T",
    }, "CDghpRrTtUu", ["--user", "--group", "--chdir", "--host", "--prompt", "--close-from", "--role", "--type", "--other-user",
        "--command-timeout", "--chroot"], StopsAtOperand: true);

    private static readonly Table Doas = new([], "uC", [], StopsAtOperand: true);

    private static readonly Table Su = new(new()
    {
        ["--login"] = "-l", ["--command"] = "-c", ["--session-command"] = "-c", ["--shell"] = "-s", ["--group"] = "-g",
        ["--supp-group"] = "-G", ["--preserve-environment"] = "-m", ["-p"] = "-m",
    }, "csgGw", ["--command", "--session-command", "--shell", "--group", "--supp-group", "--whitelist-environment"]);

    private static readonly Table History = new([], "d", []);

    private static readonly Table Auditctl = new([], "abcdeFfklmprRSsw", []);

    private static readonly Table Truncate = new(new() { ["--size"] = "-s", ["--reference"] = "-r", ["--no-create"] = "-c" }, "sro",
        ["--size", "--reference", "--io-blocks"]);

    private static readonly Table Usermod = new(new() { ["--append"] = "-a", ["--groups"] = "-G", ["--uid"] = "-u", ["--non-unique"] = "-o" },
        "cdefgGlLpsuUZ", ["--comment", "--home", "--expiredate", "--inactive", "--gid", "--groups", "--login", "--password", "--shell",
            "--uid", "--selinux-user", "--root", "--prefix"]);

    private static readonly Table Plain = new([], "", []);

    private static Table For(string program) => program switch
    {
        "rm" => Rm,
        "cp" or "mv" => CopyOrMove,
        "chmod" or "chown" or "chgrp" => Ownership,
        "shred" => Shred,
        "ln" => Ln,
        "sudo" => Sudo,
        "doas" => Doas,
        "su" => Su,
        "history" => History,
        "auditctl" => Auditctl,
        "truncate" => Truncate,
        "usermod" or "useradd" => Usermod,
        _ => Plain,
    };

    /// <summary>The canonical options an option word stands for (<c>-rf</c>: <c>-r</c>, <c>-f</c>).</summary>
    public static IEnumerable<string> Canonical(string program, string word)
    {
        var table = For(program);
        if (word.StartsWith("--"))
        {
            var equals = word.IndexOf('=');
            var name = equals < 0 ? word : word[..equals];
            yield return table.Aliases.GetValueOrDefault(name, name);

            // getopt_long takes any unambiguous prefix (--rec is --recursive): count every long option it could be.
            foreach (var (longName, canonical) in table.Aliases.Where(a => a.Key.StartsWith("--") && a.Key != name && name.Length > 2
                         && a.Key.StartsWith(name, StringComparison.Ordinal)))
            {
                yield return canonical;
            }

            yield break;
        }

        for (var i = 1; i < word.Length; i++)
        {
            var option = "-" + word[i];
            yield return table.Aliases.GetValueOrDefault(option, option);
            if (table.ShortWithArgument.Contains(word[i]))
            {
                yield break;
            }
        }
    }

    /// <summary>Whether the program's options end at its first operand (<c>sudo</c>, <c>doas</c>).</summary>
    public static bool StopsAtOperand(string program) => For(program).StopsAtOperand;

    /// <summary>The argument given inside the option word (<c>-e0</c>: 0, <c>--size=0</c>: 0), or null.</summary>
    public static string? ValueIn(string program, string word)
    {
        if (word.StartsWith("--"))
        {
            var equals = word.IndexOf('=');
            return equals < 0 ? null : word[(equals + 1)..];
        }

        var table = For(program);
        for (var i = 1; i < word.Length; i++)
        {
            if (table.ShortWithArgument.Contains(word[i]))
            {
                return i < word.Length - 1 ? word[(i + 1)..] : null;
            }
        }

        return null;
    }

    /// <summary>Whether the option word leaves its argument to the next word (<c>cp -t dir</c>, <c>chown --from spec</c>).</summary>
    public static bool TakesArgument(string program, string word)
    {
        var table = For(program);
        if (word.StartsWith("--"))
        {
            return !word.Contains('=') && table.LongWithArgument.Contains(word);
        }

        for (var i = 1; i < word.Length; i++)
        {
            if (table.ShortWithArgument.Contains(word[i]))
            {
                return i == word.Length - 1;
            }
        }

        return false;
    }
}
