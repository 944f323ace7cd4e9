namespace Gatehouse.Contracts;

/// <summary>What the gateway does with a command that matches a command policy.</summary>
/// <remarks>Stored and sent by name; new members go at the end so a number written by an older client still reads.</remarks>
public enum CommandPolicyAction
{
    Deny,
    RequireApproval,

    /// <summary>
    /// Lets the matching program run although it runs input the gateway cannot read (<c>bash ./deploy.sh</c>,
    /// <c>python3</c>, <c>source</c>). It never lifts a deny and never makes an unknowable line known; alone it restricts
    /// nothing.
    /// </summary>
    Allow,
}
