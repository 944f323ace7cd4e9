namespace Gatehouse.Ssh.Ciphers;

/// <summary>
/// Protects whole packets in one direction. Every negotiated cipher here either is an AEAD or
/// uses encrypt-then-MAC, so the 4-byte length is never part of the padded, encrypted body.
/// </summary>
internal abstract class PacketCipher : IDisposable
{
    public abstract int BlockSize { get; }

    public abstract int TagSize { get; }

    /// <summary>True only for the unencrypted initial state, where the length counts towards alignment.</summary>
    public virtual bool LengthIsPadded => false;

    /// <summary>Recovers packet_length from the first four received bytes.</summary>
    public abstract uint ReadLength(ReadOnlySpan<byte> lengthField, uint sequence);

    /// <summary>Checks the tag, then decrypts the body (after the length field) in place.</summary>
    public abstract void Open(Span<byte> packet, ReadOnlySpan<byte> tag, uint sequence);

    /// <summary>Encrypts the packet in place and writes its tag.</summary>
    public abstract void Seal(Span<byte> packet, Span<byte> tag, uint sequence);

    public virtual void Dispose()
    {
    }

    protected static SshProtocolException MacError() => new(SshDisconnectReason.MacError, "message authentication failed");
}

internal sealed class NoneCipher : PacketCipher
{
    public static readonly NoneCipher Instance = new();

    public override int BlockSize => 8;

    public override int TagSize => 0;

    public override bool LengthIsPadded => true;

    public override uint ReadLength(ReadOnlySpan<byte> lengthField, uint sequence) =>
        System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(lengthField);

    public override void Open(Span<byte> packet, ReadOnlySpan<byte> tag, uint sequence)
    {
    }

    public override void Seal(Span<byte> packet, Span<byte> tag, uint sequence)
    {
    }
}
