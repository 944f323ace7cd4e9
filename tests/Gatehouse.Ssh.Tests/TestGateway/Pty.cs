using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Gatehouse.Ssh.Tests.TestGateway;

/// <summary>A pseudo-terminal pair from libc's openpty, for running a child attached to a terminal.</summary>
internal sealed partial class Pty : IDisposable
{
    private const int FSetFd = 2;
    private const int FdCloexec = 1;
    private const ulong Tiocswinsz = 0x5414;

    private int _slave;

    private Pty(int master, int slave, string slavePath)
    {
        Master = master;
        _slave = slave;
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
        // The slave stays open here until the child is done: a read on the master while no slave is open fails with
        // EIO, which a reader started before the child opened the terminal would take for the end of the session.
        return new Pty(master, slave, path);
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

    /// <summary>Once the child has exited: reads on the master return what it wrote, then end.</summary>
    public void HangUp()
    {
        if (Interlocked.Exchange(ref _slave, -1) is var slave and >= 0)
        {
            Close(slave);
        }
    }

    public void Dispose()
    {
        HangUp();
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
