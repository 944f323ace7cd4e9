using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Gatehouse.Ssh.Tests.TestGateway;

/// <summary>A pseudo-terminal pair from libc's openpty, for running a child attached to a terminal.</summary>
internal sealed partial class Pty : IDisposable
{
    private const int FSetFd = 2;
    private const int FdCloexec = 1;
    private const ulong Tiocswinsz = 0x5414;

    private Pty(int master, string slavePath)
    {
        Master = master;
        SlavePath = slavePath;
        Reader = new FileStream(new SafeFileHandle(Dup(master), true), FileAccess.Read, 1);
        Writer = new FileStream(new SafeFileHandle(Dup(master), true), FileAccess.Write, 1);
    }

    public int Master { get; }

    public string SlavePath { get; }

    public FileStream Reader { get; }

    public FileStream Writer { get; }

    public static Pty Open(ushort columns = 80, ushort rows = 24)
    {
        var size = new WinSize { Rows = rows, Columns = columns };
        var name = new byte[256];
        if (OpenPty(out var master, out var slave, name, IntPtr.Zero, ref size) != 0) throw new IOException("openpty failed");
        // Other tests spawn processes concurrently: a leaked slave descriptor would keep this terminal alive.
        Fcntl(master, FSetFd, FdCloexec);
        Fcntl(slave, FSetFd, FdCloexec);
        var path = System.Text.Encoding.ASCII.GetString(name, 0, Array.IndexOf(name, (byte)0));
        var pty = new Pty(master, path);
        Close(slave);
        return pty;
    }

    public void Resize(uint columns, uint rows)
    {
        var size = new WinSize { Rows = (ushort)rows, Columns = (ushort)columns };
        Ioctl(Master, Tiocswinsz, ref size);
    }

    private static IntPtr Dup(int fd)
    {
        var copy = DupFd(fd);
        Fcntl(copy, FSetFd, FdCloexec);
        return copy;
    }

    public void Dispose()
    {
        Reader.Dispose();
        Writer.Dispose();
        Close(Master);
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct WinSize
    {
        public ushort Rows;
        public ushort Columns;
        public ushort XPixels;
        public ushort YPixels;
    }

    [LibraryImport("libc", EntryPoint = "openpty", SetLastError = true)]
    private static partial int OpenPty(out int master, out int slave, byte[] name, IntPtr termios, ref WinSize size);

    [LibraryImport("libc", EntryPoint = "ioctl", SetLastError = true)]
    private static partial int Ioctl(int fd, ulong request, ref WinSize size);

    [LibraryImport("libc", EntryPoint = "fcntl", SetLastError = true)]
    private static partial int Fcntl(int fd, int command, int argument);

    [LibraryImport("libc", EntryPoint = "dup", SetLastError = true)]
    private static partial int DupFd(int fd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);
}
