using System.Diagnostics;
using Gatehouse.Ssh.Authentication;
using Gatehouse.Ssh.KeyExchange;
using Gatehouse.Ssh.Tests.TestGateway;
using Gatehouse.Ssh.Transport;

namespace Gatehouse.Ssh.Tests.Hostile;

/// <summary>Serial: the memory check reads the whole process's managed memory, which tests running beside it would add to (39 MB once in CI).</summary>
[Collection(SerialCollection.Name)]
public class FuzzingTheParser(HardenedGateway gateway) : IClassFixture<HardenedGateway>
{
    private static readonly TimeSpan FuzzTime = TimeSpan.FromSeconds(3);

    [Fact]
    public void Message_decoders_reject_random_and_mutated_input_with_protocol_errors_only()
    {
        var random = new Random(4253);
        var kexInit = new KexInit(["curve25519-sha256"], ["ssh-ed25519"], ["aes128-ctr"], ["aes128-ctr"], ["hmac-sha2-256-etm@openssh.com"], ["hmac-sha2-256-etm@openssh.com"], ["none"], ["none"], false).Encode();
        var keyBlob = Convert.FromBase64String(File.ReadAllText(gateway.Ed25519Key + ".pub").Split(' ')[1]);
        var clock = Stopwatch.StartNew();
        var cases = 0;
        while (clock.Elapsed < FuzzTime)
        {
            var input = Mutate(random, random.Next(3) switch { 0 => kexInit, 1 => keyBlob, _ => RandomBytes(random, random.Next(0, 300)) });
            try
            {
                KexInit.Parse(input);
            }
            catch (SshProtocolException)
            {
            }
            UserKeySignature.IsAcceptableKey("ssh-ed25519", input);
            UserKeySignature.IsAcceptableKey("ecdsa-sha2-nistp256", input);
            UserKeySignature.IsAcceptableKey("rsa-sha2-256", input);
            Assert.False(UserKeySignature.Verify("ssh-ed25519", keyBlob, input, input));
            cases++;
        }
        Assert.True(cases > 1000);
    }

    [Fact]
    public async Task Random_and_mutated_packets_after_key_exchange_never_crash_the_gateway()
    {
        // A short first round pays for what is allocated once (JIT, cipher and key-exchange tables), so that what is
        // measured after the second round is what the hostile connections left behind.
        await SendHostilePacketsAsync(TimeSpan.FromSeconds(1));
        await WaitUntilEveryConnectionEndedAsync();
        var memoryBefore = GC.GetTotalMemory(forceFullCollection: true);

        var connections = await SendHostilePacketsAsync(FuzzTime);
        await WaitUntilEveryConnectionEndedAsync();

        Assert.True(connections > 10, $"only {connections} connections");
        var growth = GC.GetTotalMemory(forceFullCollection: true) - memoryBefore;
        Assert.True(growth < 16 * 1024 * 1024, $"managed memory grew by {growth / 1024} KiB over {connections} hostile connections");
        Assert.True(gateway.Log.Errors == 0, string.Join("\n", gateway.Log.ErrorMessages));
        var result = await OpenSsh.SshAsync(gateway, LocalShellHooks.KeyUser, "echo alive", extraOptions: HardenedGateway.QuickKeyExchange);
        Assert.Equal("alive\n", result.Text);
    }

    private async Task<int> SendHostilePacketsAsync(TimeSpan duration)
    {
        var templates = ValidMessages();
        var clock = Stopwatch.StartNew();
        var connections = 0;
        await Task.WhenAll(Enumerable.Range(0, 4).Select(worker => Task.Run(async () =>
        {
            var random = new Random(worker);
            while (clock.Elapsed < duration)
            {
                Interlocked.Increment(ref connections);
                await using var client = await RawSshClient.ConnectWithKeysAsync(gateway.Port);
                try
                {
                    if (random.Next(2) == 0) await client.AuthenticateWithPasswordAsync(LocalShellHooks.PasswordUser, LocalShellHooks.Password);
                    for (var i = 0; i < 20; i++)
                    {
                        var payload = random.Next(3) == 0
                            ? [(byte)random.Next(1, 256), .. RandomBytes(random, random.Next(0, 64))]
                            : Mutate(random, templates[random.Next(templates.Count)]);
                        await client.SendAsync(payload);
                    }
                    await client.WaitForDisconnectAsync(TimeSpan.FromMilliseconds(200));
                }
                catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or OperationCanceledException or SshProtocolException or EndOfStreamException or InvalidOperationException)
                {
                    // The gateway hanging up on garbage is the expected outcome.
                }
            }
        })));
        return connections;
    }

    /// <summary>The gateway's idle limit (3 s here) ends what the clients left open; a connection still running is not a leak.</summary>
    private async Task WaitUntilEveryConnectionEndedAsync()
    {
        var clock = Stopwatch.StartNew();
        while (gateway.Server.RunningConnections > 0)
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"{gateway.Server.RunningConnections} connections still running 30 s after their clients closed");
            await Task.Delay(50);
        }
    }

    [Fact]
    public async Task Random_bytes_before_key_exchange_never_crash_the_gateway()
    {
        var random = new Random(8308);
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < FuzzTime / 2)
        {
            await using var client = await RawSshClient.ConnectAsync(gateway.Port);
            try
            {
                if (random.Next(2) == 0) await client.ExchangeVersionsAsync();
                await client.SendRawAsync(RandomBytes(random, random.Next(1, 2000)));
                await client.WaitForDisconnectAsync(TimeSpan.FromMilliseconds(100));
            }
            catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or OperationCanceledException or SshProtocolException or EndOfStreamException)
            {
            }
        }
        Assert.True(gateway.Log.Errors == 0, string.Join("\n", gateway.Log.ErrorMessages));
    }

    private static List<byte[]> ValidMessages()
    {
        var messages = new List<byte[]>();
        void Add(SshMessage message, Action<SshWriter> body)
        {
            using var writer = new SshWriter(message);
            body(writer);
            messages.Add(writer.ToArray());
        }
        Add(SshMessage.ServiceRequest, w => w.WriteString("ssh-userauth"));
        Add(SshMessage.UserauthRequest, w => { w.WriteString("alice"); w.WriteString("ssh-connection"); w.WriteString("keyboard-interactive"); w.WriteString(""); w.WriteString(""); });
        Add(SshMessage.UserauthRequest, w => { w.WriteString("alice"); w.WriteString("ssh-connection"); w.WriteString("publickey"); w.WriteBoolean(false); w.WriteString("ssh-ed25519"); w.WriteBinary(new byte[51]); });
        Add(SshMessage.GlobalRequest, w => { w.WriteString("keepalive@openssh.com"); w.WriteBoolean(true); });
        Add(SshMessage.ChannelOpen, w => { w.WriteString("session"); w.WriteUInt32(0); w.WriteUInt32(65536); w.WriteUInt32(32768); });
        Add(SshMessage.ChannelOpen, w => { w.WriteString("direct-tcpip"); w.WriteUInt32(1); w.WriteUInt32(65536); w.WriteUInt32(32768); w.WriteString("127.0.0.1"); w.WriteUInt32(22); w.WriteString("127.0.0.1"); w.WriteUInt32(5555); });
        Add(SshMessage.ChannelRequest, w => { w.WriteUInt32(0); w.WriteString("pty-req"); w.WriteBoolean(true); w.WriteString("xterm"); w.WriteUInt32(80); w.WriteUInt32(24); w.WriteUInt32(0); w.WriteUInt32(0); w.WriteBinary([0]); });
        Add(SshMessage.ChannelRequest, w => { w.WriteUInt32(0); w.WriteString("env"); w.WriteBoolean(true); w.WriteString("LANG"); w.WriteString("C"); });
        Add(SshMessage.ChannelRequest, w => { w.WriteUInt32(0); w.WriteString("window-change"); w.WriteBoolean(false); w.WriteUInt32(100); w.WriteUInt32(30); w.WriteUInt32(0); w.WriteUInt32(0); });
        Add(SshMessage.ChannelData, w => { w.WriteUInt32(0); w.WriteBinary(new byte[100]); });
        Add(SshMessage.ChannelWindowAdjust, w => { w.WriteUInt32(0); w.WriteUInt32(1000); });
        Add(SshMessage.ChannelEof, w => w.WriteUInt32(0));
        Add(SshMessage.ChannelClose, w => w.WriteUInt32(0));
        return messages;
    }

    private static byte[] Mutate(Random random, byte[] input)
    {
        var output = input.ToArray();
        switch (random.Next(4))
        {
            case 0:
                if (output.Length > 1) output[random.Next(1, output.Length)] ^= (byte)(1 << random.Next(8));
                break;
            case 1:
                if (output.Length > 1) output = output[..random.Next(1, output.Length)];
                break;
            case 2:
                if (output.Length > 4) output[random.Next(1, output.Length)] = (byte)random.Next(256);
                break;
            default:
                output = [.. output, .. RandomBytes(random, random.Next(1, 16))];
                break;
        }
        return output;
    }

    private static byte[] RandomBytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }
}
