using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Gatehouse.SessionBroker.Targets;

/// <summary>
/// Whether a connection accepted on a loopback listener was opened by this process. SSH.NET hands each connection the
/// target forwards to a socket it connects itself; any other process on the gateway could connect to that listener too,
/// and must not be taken for the target. Linux says who holds a socket: the peer's entry in /proc/net/tcp names its
/// inode, and only this process's descriptors link to it. Anywhere else the answer is no (fail closed).
/// </summary>
public static class LoopbackPeer
{
    public static bool IsThisProcess(Socket accepted)
    {
        if (!OperatingSystem.IsLinux() || accepted.RemoteEndPoint is not IPEndPoint peer || accepted.LocalEndPoint is not IPEndPoint local
            || peer.AddressFamily != AddressFamily.InterNetwork)
        {
            return false;
        }

        try
        {
            // The peer's own entry: its local end is our remote end, and the other way round. A dual-mode IPv6 socket
            // connected to an IPv4 address is listed in tcp6, with both addresses IPv4-mapped.
            var inode = File.ReadLines("/proc/self/net/tcp").Skip(1).Concat(File.ReadLines("/proc/self/net/tcp6").Skip(1))
                .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                .Where(fields => fields.Length > 9 && Is(fields[1], peer) && Is(fields[2], local))
                .Select(fields => fields[9])
                .FirstOrDefault();
            if (inode is null or "0")
            {
                return false;
            }

            var link = $"socket:[{inode}]";
            return Directory.EnumerateFileSystemEntries("/proc/self/fd").Any(fd => LinkOf(fd) == link);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>
    /// "0100007F:1F90" is 127.0.0.1:8080: the address as the kernel's 32-bit words in host order (one for IPv4, four for
    /// IPv6), the port in hex.
    /// </summary>
    private static bool Is(string field, IPEndPoint endPoint)
    {
        var colon = field.IndexOf(':');
        if (colon is not (8 or 32) || !int.TryParse(field.AsSpan(colon + 1), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var port)
            || port != endPoint.Port)
        {
            return false;
        }

        var bytes = new byte[colon / 2];
        for (var i = 0; i < colon / 8; i++)
        {
            if (!uint.TryParse(field.AsSpan(i * 8, 8), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var word))
            {
                return false;
            }

            BitConverter.GetBytes(word).CopyTo(bytes, i * 4);
        }

        var address = new IPAddress(bytes);
        return address.Equals(colon == 8 ? endPoint.Address : endPoint.Address.MapToIPv6());
    }

    private static string? LinkOf(string fd)
    {
        try
        {
            return new FileInfo(fd).LinkTarget;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Closed while we looked.
            return null;
        }
    }
}
