using Gatehouse.SessionBroker.CertificateAuthority;
using Gatehouse.SessionBroker.Gateway.CertificateLogins;
using Gatehouse.SessionBroker.Jumping;
using Gatehouse.SessionBroker.Posture;
using Gatehouse.SessionBroker.Recording;
using Gatehouse.SessionBroker.Sessions;
using Gatehouse.SessionBroker.Vault;
using MassTransit;
using Microsoft.Extensions.Options;

namespace Gatehouse.SessionBroker.Gateway;

/// <summary>What every gateway connection and session uses, resolved once.</summary>
public sealed class GatewayServices(
    IOptions<GatewaySettings> settings,
    IBus bus,
    CredentialVault vault,
    SessionJournal journal,
    LiveSessions live,
    RecordingStore recordings,
    TargetPostures postures,
    TimeProvider clock,
    InnerConnections jumps,
    ILogger<GatewayConnection> logger,
    GatehouseCa ca,
    UserCertificateTrust? certificates = null)
{
    public GatewaySettings Settings { get; } = settings.Value;
    public IBus Bus { get; } = bus;
    public CredentialVault Vault { get; } = vault;
    public SessionJournal Journal { get; } = journal;
    public LiveSessions Live { get; } = live;
    public RecordingStore Recordings { get; } = recordings;
    public TargetPostures Postures { get; } = postures;
    public TimeProvider Clock { get; } = clock;
    public ILogger Logger { get; } = logger;
    public GatehouseCa Ca { get; } = ca;

    /// <summary>The user CAs and revocation list certificate logins are checked against (read at each such login).</summary>
    public CertificateTrust CertificateTrust() =>
        certificates?.Load() ?? CertificateLogins.CertificateTrust.NotEnabled;

    /// <summary>Where ProxyJump's inner connections are served.</summary>
    public InnerConnections Jumps { get; } = jumps;
}
