namespace Gatehouse.Contracts;

/// <summary>What a user did to a file over sftp or scp. New values are only ever added at the end.</summary>
public enum SftpOperation
{
    OpenForRead,
    OpenForWrite,
    Remove,
    Rename,
    MakeDirectory,
    RemoveDirectory,
    SetAttributes,

    /// <summary>A directory opened for reading its entries (sftp OPENDIR; a directory sent by <c>scp -r</c> from the target).</summary>
    ListDirectory,

    /// <summary>A symbolic link created: Path is what the link points to, NewPath the link.</summary>
    CreateSymbolicLink,

    /// <summary>A hard link created: Path is the existing file, NewPath the new name.</summary>
    CreateHardLink,

    /// <summary>Data copied on the target from one open file to another (copy-data): Path is the source, NewPath the destination.</summary>
    CopyData,

    /// <summary>A request the gateway does not know, passed on to the target: Path names it (the extension name or the packet type).</summary>
    UnrecognisedRequest,
}
