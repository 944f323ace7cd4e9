using System.Runtime.InteropServices;
using Gatehouse.Contracts;

namespace Gatehouse.SessionBroker.Doctor;

/// <summary>
/// What the doctor (and the certificate trust's file stamps) need to know of one file or folder; the owner and the
/// file's identity come from statx(2), which .NET does not expose.
/// </summary>
public sealed record FileStatus(string Path, uint Owner, UnixFileMode Mode, bool IsDirectory)
{
    private const int AtCurrentDirectory = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const uint BasicStats = 0x7ff;
    private const ushort TypeMask = 0xF000;
    private const ushort Directory = 0x4000;

    /// <summary>Which file this is (device, inode): a file replaced by a rename is another file, whatever its time and length.</summary>
    public (ulong Device, ulong Inode) Identity { get; init; }

    public long Length { get; init; }

    public DateTime LastWriteUtc { get; init; }

    /// <summary>
    /// The entry itself (a symbolic link is not followed, unless <paramref name="followLinks"/>); null when it cannot be read.
    /// </summary>
    public static FileStatus? Read(string path, bool followLinks = false) => Examine(path, followLinks).Status;

    /// <summary>The entry, or the system's reason it cannot be read ("No such file or directory").</summary>
    public static (FileStatus? Status, string? Problem) Examine(string path, bool followLinks = false)
    {
        // struct statx has one layout on every architecture: stx_uid at 20, stx_mode (16 bits) at 28, stx_ino at 32,
        // stx_size at 40, stx_mtime (seconds, nanoseconds) at 112 and 120, stx_dev_major and stx_dev_minor at 136 and 140.
        var buffer = new byte[256];
        if (statx(AtCurrentDirectory, path, followLinks ? 0 : AtSymlinkNoFollow, BasicStats, buffer) != 0)
        {
            return (null, new System.ComponentModel.Win32Exception(Marshal.GetLastPInvokeError()).Message);
        }

        var mode = BitConverter.ToUInt16(buffer, 28);
        var device = (ulong)BitConverter.ToUInt32(buffer, 136) << 32 | BitConverter.ToUInt32(buffer, 140);
        var written = DateTime.UnixEpoch.AddSeconds(BitConverter.ToInt64(buffer, 112)).AddTicks(BitConverter.ToUInt32(buffer, 120) / 100);
        return (new FileStatus(path, BitConverter.ToUInt32(buffer, 20), (UnixFileMode)(mode & 0xFFF), (mode & TypeMask) == Directory)
        {
            Identity = (device, BitConverter.ToUInt64(buffer, 32)),
            Length = BitConverter.ToInt64(buffer, 40),
            LastWriteUtc = written,
        }, null);
    }

    /// <summary>The effective uid of this process.</summary>
    public static uint RunningUser() => geteuid();

    [DllImport("libc")]
    private static extern uint geteuid();

    [DllImport("libc", SetLastError = true)]
    private static extern int statx(int directory, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, uint mask, byte[] buffer);
}

/// <summary>
/// Who may read and replace the state folder (host keys, signing and CA keys, secrets, recordings): every entry must be
/// its owner's alone (recordings: its group may read), owned by root or a Gatehouse service user, and no folder above it
/// may let anyone else replace it. Pure: the entries and the allowed owners are passed in.
/// </summary>
public static class StateFiles
{
    private const UnixFileMode Other = UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;
    private const UnixFileMode Group = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute;
    private const UnixFileMode Writable = UnixFileMode.GroupWrite | UnixFileMode.OtherWrite;

    /// <param name="entries">Everything under <paramref name="stateRoot"/>, the root included.</param>
    /// <param name="parents">The folders above the root, up to /.</param>
    /// <param name="owners">uid to user name of root and the Gatehouse service users (the running one included).</param>
    public static IReadOnlyList<PostureFinding> Judge(string stateRoot, IReadOnlyList<FileStatus> entries, IReadOnlyList<FileStatus> parents,
        IReadOnlyDictionary<uint, string> owners)
    {
        var findings = new List<PostureFinding>();
        foreach (var entry in entries)
        {
            var path = entry.Path;
            var mode = entry.Mode;
            var relative = Path.GetRelativePath(stateRoot, path);
            var recording = relative.StartsWith("recordings", StringComparison.Ordinal);
            var publicKey = path.EndsWith(".pub", StringComparison.Ordinal);
            if (!owners.ContainsKey(entry.Owner))
            {
                findings.Add(new PostureFinding("state-foreign-owner", FindingSeverity.Critical,
                    $"{path} belongs to uid {entry.Owner}, neither root nor a Gatehouse service user: that user can read and replace it",
                    $"Find out who made it; chown it to the service's user (deploy/systemd: gatehouse-<service>) and rotate what it held"));
            }

            if (entry.IsDirectory ? (mode & UnixFileMode.OtherWrite) != 0 : (mode & Other) != 0 && !publicKey)
            {
                findings.Add(new PostureFinding("world-readable-secret", recording ? FindingSeverity.High : FindingSeverity.Critical,
                    $"{path} is {(entry.IsDirectory ? "writable" : "readable")} by every user of the machine (mode {Octal(mode)})",
                    $"chmod o-rwx '{path}'{(entry.IsDirectory ? "" : "; treat the secret as disclosed and rotate it")}"));
            }
            else if ((mode & UnixFileMode.OtherWrite) != 0)
            {
                findings.Add(new PostureFinding("world-writable-state", FindingSeverity.Critical,
                    $"{path} is writable by every user of the machine (mode {Octal(mode)}): anyone can replace the key it holds",
                    $"chmod o-w '{path}'"));
            }
            else if (!entry.IsDirectory && !recording && !publicKey && (mode & Group) != 0)
            {
                findings.Add(new PostureFinding("group-readable-secret", FindingSeverity.High,
                    $"{path} is readable by its group (mode {Octal(mode)}); a secret belongs to its one service", $"chmod 600 '{path}'"));
            }
            else if ((mode & UnixFileMode.GroupWrite) != 0)
            {
                findings.Add(new PostureFinding("group-writable-state", FindingSeverity.High,
                    $"{path} is writable by its group (mode {Octal(mode)}): every Gatehouse service could replace what its owner keeps there",
                    $"chmod g-w '{path}'"));
            }
        }

        foreach (var parent in parents)
        {
            // A world-writable folder with the sticky bit (/tmp) lets nobody rename or remove what is not theirs.
            var sticky = (parent.Mode & UnixFileMode.StickyBit) != 0 && parent.Owner == 0;
            var problems = new List<string>();
            if (!owners.ContainsKey(parent.Owner)) problems.Add($"belongs to uid {parent.Owner}");
            if ((parent.Mode & UnixFileMode.OtherWrite) != 0 && !sticky) problems.Add("is writable by every user");
            else if ((parent.Mode & UnixFileMode.GroupWrite) != 0 && !sticky) problems.Add("is writable by its group");
            if (problems.Count > 0)
            {
                findings.Add(new PostureFinding("state-parent-unsafe", FindingSeverity.Critical,
                    $"{parent.Path}, above the state folder {stateRoot}, {string.Join(" and ", problems)} (mode {Octal(parent.Mode)}): whoever can write it can replace the state folder",
                    $"chown root '{parent.Path}' && chmod go-w '{parent.Path}'"));
            }
        }

        return findings;
    }

    /// <summary>Folders whose contents the gateway's user may not list: not checked, and said so.</summary>
    public static IReadOnlyList<PostureFinding> NotListed(IReadOnlyList<string> folders) => folders.Count == 0
        ? []
        : [new PostureFinding("state-not-checked", FindingSeverity.Info,
            $"The contents of {string.Join(", ", folders)} were not checked: the gateway's user may not list them (each service's folder is its own)",
            "Check them as root: find <folder> -perm /077 -o ! -user <its service user>")];

    /// <summary>uid to name of root, the running user and the named service users, from a passwd file (names that are not there are skipped).</summary>
    public static IReadOnlyDictionary<uint, string> Owners(IEnumerable<string> passwdLines, IReadOnlyCollection<string> serviceUsers, uint runningUid)
    {
        var owners = new Dictionary<uint, string> { [0] = "root" };
        foreach (var fields in passwdLines.Select(l => l.Split(':')).Where(f => f.Length > 2))
        {
            if (uint.TryParse(fields[2], out var uid) && (serviceUsers.Contains(fields[0]) || uid == runningUid)) owners.TryAdd(uid, fields[0]);
        }

        owners.TryAdd(runningUid, $"uid {runningUid}");
        return owners;
    }

    internal static string Octal(UnixFileMode mode) => Convert.ToString((int)mode, 8).PadLeft(4, '0');
}
