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
            // The peer's own entry: its local end is our remote end, and the other way round.
            var inode = File.ReadLines("/proc/self/net/tcp").Skip(1)
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

    /// <summary>"0100007F:1F90" is 127.0.0.1:8080: the address as the kernel's 32-bit word in host order, the port in hex.</summary>
    private static bool Is(string field, IPEndPoint endPoint)
    {
        var colon = field.IndexOf(':');
        return colon == 8
               && uint.TryParse(field.AsSpan(0, 8), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var word)
               && int.TryParse(field.AsSpan(9), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var port)
               && port == endPoint.Port
               && new IPAddress(BitConverter.GetBytes(word)).Equals(endPoint.Address);
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
