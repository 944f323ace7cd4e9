using System.Collections.Concurrent;

namespace Gatehouse.Ssh.Tests.TestGateway;

/// <summary>
/// A test stand-in for the SessionBroker: users and keys are fixed, and sessions run on this machine
/// (a shell, a command, or /usr/lib/openssh/sftp-server) instead of on a brokered target.
/// </summary>
internal sealed class LocalShellHooks : ISshServerHooks
{
    public const string KeyUser = "alice";
    public const string MfaUser = "bob";
    public const string PasswordUser = "carol";
    public const string Password = "correct horse";
    public const string OneTimeCode = "424242";
    public const string TwoRoundUser = "erin";

    /// <summary>authorized_keys lines accepted for alice and bob.</summary>
    public ConcurrentBag<string> AuthorizedKeys { get; } = [];

    /// <summary>Every key the gateway reported as proven, for asserting the hook contract.</summary>
    public ConcurrentQueue<(string User, SshPublicKey Key)> ProvenKeys { get; } = new();

    public ConcurrentQueue<SshConnectionInfo> Connections { get; } = new();

    public ConcurrentQueue<SshSessionRequest> Requests { get; } = new();

    public bool AllowDirectTcpIp { get; set; }

    /// <summary>When set, tcpip-forward listens on this machine's loopback and passes each connection to the client.</summary>
    public bool AllowRemoteForwarding { get; set; }

    /// <summary>The forwarding requests the gateway told the handler it refused.</summary>
    public ConcurrentQueue<string> Refused { get; } = new();

    public ValueTask<ISshConnectionHandler> ConnectionStartedAsync(SshConnectionInfo connection, CancellationToken cancellationToken)
    {
        Connections.Enqueue(connection);
        return ValueTask.FromResult<ISshConnectionHandler>(new Handler(this));
    }

    private sealed class Handler(LocalShellHooks hooks) : ISshConnectionHandler
    {
        private bool _keyProven;

        public ValueTask<SshAuthResult> AuthenticatePublicKeyAsync(string userName, SshPublicKey key, CancellationToken cancellationToken)
        {
            hooks.ProvenKeys.Enqueue((userName, key));
            var known = hooks.AuthorizedKeys.Any(line => line.StartsWith(key.ToOpenSshFormat(), StringComparison.Ordinal));
            var result = (userName, known) switch
            {
                (KeyUser, true) => SshAuthResult.Success,
                (MfaUser, true) => SshAuthResult.Partial(SshAuthMethods.KeyboardInteractive),
                _ => SshAuthResult.Failure,
            };
            _keyProven = result.Outcome != SshAuthOutcome.Failure;
            return ValueTask.FromResult(result);
        }

        public ValueTask<SshAuthResult> CheckPasswordAsync(string userName, string password, CancellationToken cancellationToken) =>
            ValueTask.FromResult(userName == PasswordUser && password == Password ? SshAuthResult.Success : SshAuthResult.Failure);

        private int _round;

        public ValueTask<SshKeyboardInteractiveStep> KeyboardInteractiveAsync(string userName, IReadOnlyList<string>? responses, CancellationToken cancellationToken)
        {
            if (userName == TwoRoundUser) return ValueTask.FromResult(TwoRounds(responses));
            if (userName != MfaUser || !_keyProven) return ValueTask.FromResult(SshKeyboardInteractiveStep.Finish(SshAuthResult.Failure));
            if (responses is null)
            {
                return ValueTask.FromResult(SshKeyboardInteractiveStep.Ask("Gatehouse", "Second factor", new SshPrompt("Verification code: ", false)));
            }
            return ValueTask.FromResult(SshKeyboardInteractiveStep.Finish(
                responses.Count == 1 && responses[0] == OneTimeCode ? SshAuthResult.Success : SshAuthResult.Failure));
        }

        // A password first, then a code in a second round of prompts.
        private SshKeyboardInteractiveStep TwoRounds(IReadOnlyList<string>? responses)
        {
            if (responses is null)
            {
                _round = 1;
                return SshKeyboardInteractiveStep.Ask("", "", new SshPrompt("Password: ", false));
            }
            if (_round == 1 && responses is [Password])
            {
                _round = 2;
                return SshKeyboardInteractiveStep.Ask("Gatehouse", "Second factor", new SshPrompt("Verification code: ", false));
            }
            return SshKeyboardInteractiveStep.Finish(_round == 2 && responses is [OneTimeCode] ? SshAuthResult.Success : SshAuthResult.Failure);
        }

        public ValueTask<ISshSessionHandler?> OpenSessionAsync(SshChannel channel, CancellationToken cancellationToken) =>
            ValueTask.FromResult<ISshSessionHandler?>(new LocalSession(hooks));

        public async ValueTask<SshChannelOpening> OpenDirectTcpIpAsync(SshChannel channel, SshDirectTcpIpRequest request, CancellationToken cancellationToken)
        {
            if (!hooks.AllowDirectTcpIp || request.Host is not ("127.0.0.1" or "localhost"))
            {
                return SshChannelOpening.Refuse(SshChannelOpenFailure.AdministrativelyProhibited, $"test gateway: {request.Host}:{request.Port} is not allowed");
            }

            var client = new System.Net.Sockets.TcpClient();
            await client.ConnectAsync(System.Net.IPAddress.Loopback, (int)request.Port, cancellationToken);
            return SshChannelOpening.Accept(() => Relay.PumpAsync(client, channel));
        }

        private readonly ConcurrentDictionary<SshRemoteForwardRequest, System.Net.Sockets.TcpListener> _listening = new();

        public ValueTask<SshRemoteForwardAnswer> RemoteForwardAsync(SshRemoteForwardRequest request, SshForwardedChannels channels,
            CancellationToken cancellationToken)
        {
            if (!hooks.AllowRemoteForwarding)
            {
                hooks.Refused.Enqueue($"tcpip-forward {request.Address}:{request.Port}");
                return ValueTask.FromResult(SshRemoteForwardAnswer.Refused);
            }

            var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, (int)request.Port);
            listener.Start();
            cancellationToken.Register(listener.Stop);
            var port = (uint)((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
            _listening[request with { Port = port }] = listener;
            _ = Task.Run(async () =>
            {
                while (true)
                {
                    System.Net.Sockets.TcpClient client;
                    try
                    {
                        client = await listener.AcceptTcpClientAsync(cancellationToken);
                    }
                    catch (Exception e) when (e is OperationCanceledException or System.Net.Sockets.SocketException or ObjectDisposedException)
                    {
                        return;
                    }

                    var from = (System.Net.IPEndPoint)client.Client.RemoteEndPoint!;
                    var channel = await channels.OpenAsync(request.Address, port, from.Address.ToString(), (uint)from.Port, cancellationToken);
                    _ = Relay.PumpAsync(client, channel);
                }
            }, cancellationToken);
            return ValueTask.FromResult(SshRemoteForwardAnswer.Listening(port));
        }

        public ValueTask<bool> CancelRemoteForwardAsync(SshRemoteForwardRequest request, CancellationToken cancellationToken)
        {
            var found = _listening.TryRemove(request, out var listener);
            listener?.Stop();
            return ValueTask.FromResult(found);
        }

        public ValueTask<bool> SessionForwardingRequestAsync(SshChannel channel, SshSessionForwardingRequest request, CancellationToken cancellationToken)
        {
            hooks.Refused.Enqueue(request.GetType().Name);
            return ValueTask.FromResult(false);
        }
    }
}
