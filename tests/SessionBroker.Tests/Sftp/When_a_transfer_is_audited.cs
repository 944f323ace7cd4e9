using Gatehouse.Contracts;
using Gatehouse.SessionBroker.Sessions;
using Gatehouse.SessionBroker.Sftp;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gatehouse.SessionBroker.Tests.Sftp;

public sealed class When_a_transfer_is_audited
{
    private readonly ScriptedReader _reader = new();
    private readonly SessionEnding _ending = new();
    private readonly List<SftpRequest> _recorded = [];
    private bool _storeUp = true;

    private TransferAudit Audit() => new(_reader, requests =>
    {
        if (_storeUp)
        {
            _recorded.AddRange(requests);
        }

        return Task.FromResult(_storeUp);
    }, _ending, NullLogger.Instance);

    [Fact]
    public async Task Should_record_the_operations_read_before_their_bytes_pass()
    {
        _reader.Next = [new SftpRequest(SftpOperation.Remove, "/etc/passwd")];

        Assert.True(await Audit().FromClientAsync([1, 2, 3]));
        Assert.Equal("/etc/passwd", Assert.Single(_recorded).Path);
    }

    [Fact]
    public async Task Should_hold_the_bytes_when_their_operations_cannot_be_recorded()
    {
        _reader.Next = [new SftpRequest(SftpOperation.Remove, "/etc/passwd")];
        _storeUp = false;

        Assert.False(await Audit().FromTargetAsync([1]));
    }

    [Fact]
    public async Task Should_end_the_session_when_the_transfer_can_no_longer_be_followed()
    {
        _reader.Lost = "a packet longer than the limit";

        Assert.False(await Audit().FromClientAsync([1]));
        Assert.Equal(SessionEndReason.TransferUnreadable, _ending.Reason);
        Assert.Contains("a packet longer than the limit", _ending.Message);
    }

    private sealed class ScriptedReader : ITransferReader
    {
        public IReadOnlyList<SftpRequest> Next { get; set; } = [];

        public string? Lost { get; set; }

        public IReadOnlyList<SftpRequest> FromClient(ReadOnlySpan<byte> data) => Next;

        public IReadOnlyList<SftpRequest> FromTarget(ReadOnlySpan<byte> data) => Next;
    }
}
