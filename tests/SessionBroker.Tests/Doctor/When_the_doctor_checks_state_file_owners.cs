using Gatehouse.Contracts;
using Gatehouse.SessionBroker.Doctor;

namespace Gatehouse.SessionBroker.Tests.Doctor;

/// <summary>Owners and modes of the state folder and the folders above it, judged as a table (no real files but the last test's).</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class When_the_doctor_checks_state_file_owners
{
    private const string Root = "/var/lib/gatehouse";
    private const uint Service = 998;
    private const uint Stranger = 1000;

    private static readonly IReadOnlyDictionary<uint, string> Owners = new Dictionary<uint, string> { [0] = "root", [Service] = "gatehouse-session-broker" };

    private static readonly FileStatus[] SafeParents = [new("/var/lib", 0, (UnixFileMode)0b111_101_101, true), new("/var", 0, (UnixFileMode)0b111_101_101, true),
        new("/", 0, (UnixFileMode)0b111_101_101, true)];

    private static UnixFileMode Mode(string octal) => (UnixFileMode)Convert.ToInt32(octal, 8);

    public static TheoryData<string, uint, string, bool, string> Entries => new()
    {
        // entry under the state folder: path, owner uid, mode, directory; the one finding code expected ("" for none)
        { "gateway/hostkeys/ssh_host_ed25519_key", Service, "600", false, "" },
        { "gateway/hostkeys/ssh_host_ed25519_key", 0, "600", false, "" },
        { "gateway/hostkeys/ssh_host_ed25519_key", Stranger, "600", false, "state-foreign-owner" },
        { "gateway/hostkeys/ssh_host_ed25519_key", Service, "644", false, "world-readable-secret" },
        { "gateway/hostkeys/ssh_host_ed25519_key", Service, "640", false, "group-readable-secret" },
        { "gateway/hostkeys/ssh_host_ed25519_key", Service, "620", false, "group-readable-secret" },
        { "gateway/hostkeys/ssh_host_ed25519_key.pub", Service, "644", false, "" },
        { "gateway/hostkeys/ssh_host_ed25519_key.pub", Service, "646", false, "world-writable-state" },
        { "gateway/hostkeys/ssh_host_ed25519_key.pub", Service, "664", false, "group-writable-state" },
        { "gateway", Service, "700", true, "" },
        { "gateway", Service, "770", true, "group-writable-state" },
        { "gateway", Service, "703", true, "world-readable-secret" },
        { "recordings/session.cast", Service, "640", false, "" },
        { "recordings/session.cast", Service, "660", false, "group-writable-state" },
        { "recordings", Service, "750", true, "" },
    };

    [Theory]
    [MemberData(nameof(Entries))]
    public void Each_entry_must_be_owned_by_root_or_a_service_user_and_replaceable_by_nobody_else(string relative, uint owner, string mode,
        bool directory, string expected)
    {
        var entry = new FileStatus(Path.Combine(Root, relative), owner, Mode(mode), directory);

        var findings = StateFiles.Judge(Root, [entry], SafeParents, Owners);

        Assert.Equal(expected, findings.SingleOrDefault()?.Code ?? "");
    }

    public static TheoryData<string, uint, string, bool> Parents => new()
    {
        // the folder above the state folder: path, owner, mode; whether it is a finding
        { "/var/lib", 0, "755", false },
        { "/var/lib", Service, "750", false },
        { "/var/lib", Stranger, "755", true },
        { "/var/lib", 0, "775", true },
        { "/var/lib", 0, "777", true },
        { "/tmp", 0, "1777", false },
        { "/tmp", Stranger, "1777", true },
    };

    [Theory]
    [MemberData(nameof(Parents))]
    public void No_folder_above_the_state_folder_may_let_someone_else_replace_it(string path, uint owner, string mode, bool finding)
    {
        var findings = StateFiles.Judge(Root, [], [new FileStatus(path, owner, Mode(mode), true)], Owners);

        Assert.Equal(finding, findings.Any(f => f.Code == "state-parent-unsafe" && f.Severity == FindingSeverity.Critical && f.Title.Contains(path)));
    }

    [Fact]
    public void The_allowed_owners_are_root_the_named_service_users_and_whoever_runs_the_gateway()
    {
        string[] passwd = ["root:x:0:0:root:/root:/bin/bash", "gatehouse-audit:x:997:997::/var/lib/gatehouse:/usr/sbin/nologin",
            "gatehouse-session-broker:x:998:997::/var/lib/gatehouse:/usr/sbin/nologin", "alice:x:1000:1000::/home/alice:/bin/bash",
            "dev:x:1001:1001::/home/dev:/bin/bash"];

        var owners = StateFiles.Owners(passwd, ["gatehouse-session-broker", "gatehouse-audit", "gatehouse-missing"], runningUid: 1001);

        Assert.Equal([0u, 997u, 998u, 1001u], owners.Keys.Order());
    }

    [Fact]
    public void A_real_file_is_read_with_its_owner_mode_length_and_time()
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("gatehouse-statx-").FullName, "secret.key");
        File.WriteAllText(path, "secret");
        File.SetUnixFileMode(path, Mode("640"));
        try
        {
            var status = FileStatus.Read(path)!;

            Assert.Equal((FileStatus.RunningUser(), Mode("640"), false), (status.Owner, status.Mode, status.IsDirectory));
            Assert.True(FileStatus.Read(Path.GetDirectoryName(path)!)!.IsDirectory);
            Assert.Equal((6L, File.GetLastWriteTimeUtc(path)), (status.Length, status.LastWriteUtc));
            Assert.Equal((null, "No such file or directory"), FileStatus.Examine(path + ".missing"));
            Assert.Equal("group-readable-secret", Assert.Single(BastionChecks.SecretFileModes(Path.GetDirectoryName(path)!),
                f => f.Code != "state-parent-unsafe").Code);
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(path)!, recursive: true);
        }
    }

    [Fact]
    public void A_folder_the_gateway_may_not_list_is_reported_as_not_checked_not_passed()
    {
        Assert.Empty(StateFiles.NotListed([]));
        var finding = Assert.Single(StateFiles.NotListed(["/var/lib/gatehouse/authentication", "/var/lib/gatehouse/audit"]));

        Assert.Equal(("state-not-checked", FindingSeverity.Info), (finding.Code, finding.Severity));
        Assert.Contains("/var/lib/gatehouse/authentication, /var/lib/gatehouse/audit", finding.Title);
    }
}
