namespace Gatehouse.Contracts;

public enum SftpOperation
{
    OpenForRead,
    OpenForWrite,
    Remove,
    Rename,
    MakeDirectory,
    RemoveDirectory,
    SetAttributes,
}
