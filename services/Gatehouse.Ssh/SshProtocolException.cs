namespace Gatehouse.Ssh;

/// <summary>A peer broke the protocol; the connection is ended with the given reason.</summary>
public sealed class SshProtocolException(SshDisconnectReason reason, string message) : Exception(message)
{
    public SshDisconnectReason Reason { get; } = reason;

    internal static SshProtocolException Truncated() => new(SshDisconnectReason.ProtocolError, "truncated message");
}
