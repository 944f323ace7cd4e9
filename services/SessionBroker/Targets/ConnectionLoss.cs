using Renci.SshNet;
using Renci.SshNet.Common;

namespace Gatehouse.SessionBroker.Targets;

/// <summary>
/// Hears that a target connection was lost (the target disconnected, or the connection failed), for what SSH.NET would
/// not tell: it only marks the connection's channels closed, with no close or end of data, and tells its listeners
/// nothing. <paramref name="lost"/> is called at most once, with how, until disposed.
/// </summary>
internal sealed class ConnectionLoss : IDisposable
{
    private readonly Session _connection;
    private readonly Action<string> _lost;
    private int _heard;

    public ConnectionLoss(Session connection, Action<string> lost)
    {
        (_connection, _lost) = (connection, lost);
        connection.Disconnected += OnClosed;
        connection.ErrorOccured += OnFailed;
    }

    public void Dispose()
    {
        _connection.Disconnected -= OnClosed;
        _connection.ErrorOccured -= OnFailed;
    }

    private void OnClosed(object? sender, EventArgs e) => Heard("the target closed the connection");

    private void OnFailed(object? sender, ExceptionEventArgs e) => Heard(e.Exception.Message.TrimEnd('.'));

    private void Heard(string how)
    {
        if (Interlocked.Exchange(ref _heard, 1) == 0)
        {
            _lost(how);
        }
    }
}
