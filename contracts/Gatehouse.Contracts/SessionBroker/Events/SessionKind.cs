namespace Gatehouse.Contracts;

public enum SessionKind
{
    Shell,
    Exec,
    Subsystem,
    PortForward,
}
