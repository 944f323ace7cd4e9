using System.Diagnostics;
using Gatehouse.Ssh.Tests.TestGateway;
using Gatehouse.Ssh.Transport;

namespace Gatehouse.Ssh.Tests.Hostile;

[Collection(SerialCollection.Name)]
public class AuthenticationTiming(HardenedGateway gateway) : IClassFixture<HardenedGateway>
{
    [Fact]
    public async Task A_failed_login_takes_as_long_for_an_unknown_user_as_for_a_known_one()
    {
        // The fastest of a few tries filters out scheduling hiccups of a shared machine.
        var known = TimeSpan.MaxValue;
        var unknown = TimeSpan.MaxValue;
        for (var i = 0; i < 3; i++)
        {
            known = Min(known, await TimeFailedPasswordAsync(LocalShellHooks.PasswordUser));
            unknown = Min(unknown, await TimeFailedPasswordAsync("nobody-by-this-name"));
        }

        Assert.True(known >= TimeSpan.FromMilliseconds(190), $"known user failure took {known}");
        Assert.True(unknown >= TimeSpan.FromMilliseconds(190), $"unknown user failure took {unknown}");
        Assert.True((known - unknown).Duration() < TimeSpan.FromMilliseconds(100), $"{known} vs {unknown}");
    }

    private async Task<TimeSpan> TimeFailedPasswordAsync(string user)
    {
        await using var client = await RawSshClient.ConnectWithKeysAsync(gateway.Port);
        await client.RequestAuthenticationServiceAsync();
        var clock = Stopwatch.StartNew();
        Assert.Equal((byte)SshMessage.UserauthFailure, await client.RetryPasswordAsync(user, "wrong"));
        return clock.Elapsed;
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
