using Gatehouse.Contracts;
using Gatehouse.ServiceDefaults.Http;
using Gatehouse.SessionBroker.CertificateAuthority;

namespace Gatehouse.SessionBroker.Tests.CertificateAuthority;

/// <summary>A CA key change is an audit event (kind, old and new fingerprints, who), stored with the key itself.</summary>
public sealed class When_a_ca_key_is_rotated_or_retired : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 12, 5, 0, 30, 0, TimeSpan.Zero);
    private static readonly ApiCaller Ops = new("ops", "192.0.2.10", "rotation-test", Now);
    private readonly CaStore store = new();

    public Task InitializeAsync() => store.InitializeAsync();

    public Task DisposeAsync() => store.DisposeAsync();

    [Fact]
    public async Task Should_record_the_rotation_and_the_retirement_with_both_fingerprints_and_the_actor()
    {
        var clock = new ManualClock(Now);
        var ca = store.Ca(CaStore.Cipher("audit"), clock);
        var first = (await ca.RingAsync(CaKind.User, default)).Signing(Now)!;

        var next = await ca.RotateAsync(CaKind.User, Now.AddHours(1), Ops, default);
        clock.Set(Now.AddHours(2));
        Assert.Null(await ca.RetireAsync(CaKind.User, first.Fingerprint, Ops with { Now = Now.AddHours(2) }, default));

        var recorded = await RecordedAsync(CaKind.User);
        var rotated = Assert.IsType<CertificateAuthorityRotated>(recorded[0]);
        Assert.Equal(("user", first.Fingerprint, next.Fingerprint, Now.AddHours(1)), (rotated.Kind, rotated.PreviousFingerprint, rotated.NewFingerprint, rotated.SignsFrom));
        Assert.Equal(next.PublicKey, rotated.NewPublicKey);
        Assert.Equal(("ops", "192.0.2.10", "rotation-test"), (rotated.Actor, rotated.SourceAddress, rotated.CorrelationId));
        var retired = Assert.IsType<CertificateAuthorityKeyRetired>(recorded[1]);
        Assert.Equal(("user", first.Fingerprint, next.Fingerprint, "ops"), (retired.Kind, retired.RetiredFingerprint, retired.SigningFingerprint, retired.Actor));
        Assert.Empty(await RecordedAsync(CaKind.Host));
    }

    [Fact]
    public async Task Should_record_nothing_when_a_retirement_is_refused()
    {
        var ca = store.Ca(CaStore.Cipher("refused"), new ManualClock(Now));
        var signing = (await ca.RingAsync(CaKind.Host, default)).Signing(Now)!;

        Assert.NotNull(await ca.RetireAsync(CaKind.Host, signing.Fingerprint, Ops, default));

        Assert.Empty(await RecordedAsync(CaKind.Host));
    }

    private async Task<IReadOnlyList<object>> RecordedAsync(CaKind kind)
    {
        await using var session = store.Store.QuerySession();
        return (await session.Events.FetchStreamAsync(GatehouseCa.AuditStreamId(kind))).Select(e => e.Data).ToList();
    }
}
