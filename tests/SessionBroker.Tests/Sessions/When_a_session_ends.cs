using System.Text.Json;
using System.Text.Json.Serialization;
using Gatehouse.Contracts;
using Gatehouse.SessionBroker.Sessions;

namespace Gatehouse.SessionBroker.Tests.Sessions;

public sealed class When_a_session_ends
{
    [Fact]
    public void Should_keep_the_first_reason_and_its_message()
    {
        using var ending = new SessionEnding();

        Assert.True(ending.End(SessionEndReason.IdleTimeout, "gatehouse: idle"));
        Assert.False(ending.End(SessionEndReason.ClientClosed, null));

        Assert.Equal((SessionEndReason.IdleTimeout, "gatehouse: idle"), (ending.Reason, ending.Message));
        Assert.True(ending.Token.IsCancellationRequested);
    }

    [Fact]
    public void Should_not_be_ended_before_a_reason_is_given()
    {
        using var ending = new SessionEnding();

        Assert.False(ending.HasEnded);
        Assert.False(ending.Token.IsCancellationRequested);
    }

    [Fact]
    public void Should_keep_one_reason_when_many_end_it_at_once()
    {
        using var ending = new SessionEnding();
        var reasons = Enum.GetValues<SessionEndReason>();

        var won = reasons.AsParallel().Count(reason => ending.End(reason, null));

        Assert.Equal(1, won);
        Assert.Contains(ending.Reason!.Value, reasons);
    }

    public static TheoryData<SessionEndReason, string> WrittenAsBefore => new()
    {
        { SessionEndReason.ClientClosed, "client-closed" },
        { SessionEndReason.TargetClosed, "target-closed" },
        { SessionEndReason.IdleTimeout, "idle-timeout" },
        { SessionEndReason.MaxLength, "max-length" },
        { SessionEndReason.GrantExpired, "grant-expired" },
        { SessionEndReason.Terminated, "terminated" },
        { SessionEndReason.CommandBlocked, "command-blocked" },
        { SessionEndReason.TargetRefused, "target-refused" },
        { SessionEndReason.Error, "error" },
        { SessionEndReason.TransferUnreadable, "transfer-unreadable" },
        { SessionEndReason.TransferUnfollowable, "transfer-unfollowable" },
        { SessionEndReason.StoreUnavailable, "store-unavailable" },
        { SessionEndReason.TargetLost, "target-lost" },
    };

    /// <summary>The bus, the event store and Audit all write enums with <see cref="JsonStringEnumConverter"/>.</summary>
    [Theory]
    [MemberData(nameof(WrittenAsBefore))]
    public void Should_write_its_reason_as_the_string_events_carried_before(SessionEndReason reason, string written)
    {
        var json = new JsonSerializerOptions { Converters = { new JsonStringEnumConverter() } };

        Assert.Equal($"\"{written}\"", JsonSerializer.Serialize(reason, json));
        Assert.Equal(reason, JsonSerializer.Deserialize<SessionEndReason>($"\"{written}\"", json));
        Assert.Equal(written, reason.Spelling());
    }

    [Fact]
    public void Should_read_a_stored_session_end_written_with_a_string_reason()
    {
        var json = new JsonSerializerOptions(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };
        var stored = """{"sessionId":"0193a000-0000-7000-8000-000000000001","userName":"alice","target":"web01","login":"deploy","startedAt":"2026-12-01T10:00:00+00:00","bytesFromClient":1,"bytesToClient":2,"exitStatus":0,"endReason":"idle-timeout","recordingSha256":null,"actor":"alice","sourceAddress":"192.0.2.7","correlationId":"c","eventId":"0193a000-0000-7000-8000-000000000002","occurredAt":"2026-12-01T10:15:00+00:00"}""";

        Assert.Equal(SessionEndReason.IdleTimeout, JsonSerializer.Deserialize<SessionEnded>(stored, json)!.EndReason);
    }
}
